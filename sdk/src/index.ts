export * from "./client";
export * from "./download";
export * from "./errors";
export * from "./helpers";
export * from "./http";
export * from "./sse";
export * from "./types";
