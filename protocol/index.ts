export * from "./common";
export * from "./worker";
export * from "./sfu";
export * from "./scene";
export * from "./events";
export * from "./browser";
export * from "./faces";
