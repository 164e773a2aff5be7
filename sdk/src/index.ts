export * from "./client";
export * from "./download";
export * from "./errors";
export * from "./helpers";
export * from "./http";
export type * as OpenApi from "./openapi";
export * from "./sse";
export * from "./types";
