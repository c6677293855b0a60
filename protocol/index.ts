export * from "./common";
export * from "./worker";
