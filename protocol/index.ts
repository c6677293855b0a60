export * from "./common";
export * from "./worker";
export * from "./sfu";
