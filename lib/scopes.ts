/** What an API token may be allowed to do. JWT sessions carry every scope. */
export const API_TOKEN_SCOPES = ["account:read", "datasets:read", "datasets:write", "crawl:run", "exports:read", "tokens:manage"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];
