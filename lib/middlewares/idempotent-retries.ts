import type { Middleware } from "moleculer";

interface RetryableActionSchema {
	rest?: string | string[];
	idempotent?: boolean;
	retryPolicy?: Record<string, unknown>;
}

/** Reads (`GET` routes) and actions marked `idempotent` are safe to repeat; everything else is not. */
export function isIdempotent(action: RetryableActionSchema): boolean {
	if (typeof action.idempotent === "boolean") return action.idempotent;
	const routes = action.rest === undefined ? [] : Array.isArray(action.rest) ? action.rest : [action.rest];
	return routes.length > 0 && routes.every((route) => /^GET\s/i.test(route.trim()));
}

/**
 * The broker's retry policy (exponential backoff) is off by default so that a timed-out create is
 * never sent twice; this switches it on, per action, for the calls that may be repeated safely.
 * The flag travels with the action definition, so callers on other nodes retry the same way.
 */
export const IdempotentRetries: Middleware = {
	name: "IdempotentRetries",
	serviceCreating(_service, schema) {
		for (const action of Object.values(schema.actions ?? {})) {
			if (typeof action !== "object" || action === null) continue;
			const declared = action as RetryableActionSchema;
			if (isIdempotent(declared) && declared.retryPolicy?.enabled === undefined) {
				declared.retryPolicy = { ...(declared.retryPolicy ?? {}), enabled: true };
			}
		}
	},
};
