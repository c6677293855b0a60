export * from "./auth";
export * from "./audit";
export * from "./productivity";
export * from "./fleet";
export * from "./live";
export * from "./detections";
export * from "./first-run";
export * from "./staff";
