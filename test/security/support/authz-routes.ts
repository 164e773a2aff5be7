import type { ServiceBroker } from "moleculer";

/**
 * The routes the live gateway serves, read from its alias table (not from a list kept by hand), with
 * what each route's action declares for the gateway: auth level, token scopes and whether it answers
 * a page. A route added to any service shows up here, and so in every sweep built on it.
 */

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];
export const AUTH_LEVELS = ["public", "user", "superuser"] as const;

export interface Route {
	method: Method;
	/** The alias's full path, e.g. `/api/v1/datasets/:id/images/:imageId`. */
	path: string;
	action: string | undefined;
	/** The action's declared auth level; anything but public, user or superuser is a defect. */
	auth: unknown;
	scopes: string[];
	/** The action declares a page answer (`{items, total, page, pageSize}`). */
	page: boolean;
	/** The path's parameters, in order. */
	params: string[];
}

interface Alias {
	method: string;
	fullPath: string;
	action?: unknown;
}

interface DeclaredAction {
	auth?: unknown;
	scopes?: string[];
	response?: unknown;
}

export function pathParams(path: string): string[] {
	return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
}

/** Every route of the gateway, one per method (an alias for any method counts for each of them). */
export function liveRoutes(broker: ServiceBroker): Route[] {
	const api = broker.getLocalService("api") as unknown as { aliases: Alias[] } | undefined;
	if (!api) throw new Error("no api service on this broker");
	const actions = new Map<string, DeclaredAction>();
	for (const item of broker.registry.getActionList({ skipInternal: true, withEndpoints: false }) as {
		name: string;
		action?: DeclaredAction;
	}[]) {
		if (item.action) actions.set(item.name, item.action);
	}
	return api.aliases.flatMap((alias) => {
		const action = typeof alias.action === "string" ? alias.action : undefined;
		const declared = action ? actions.get(action) : undefined;
		const response = declared?.response as { page?: unknown } | undefined;
		const methods: Method[] = alias.method === "*" ? [...METHODS] : [alias.method.toUpperCase() as Method];
		return methods.map((method) => ({
			method,
			path: alias.fullPath,
			action,
			auth: declared?.auth,
			scopes: declared?.scopes ?? [],
			page: typeof response === "object" && response !== null && "page" in response,
			params: pathParams(alias.fullPath),
		}));
	});
}

export const routeName = (route: Pick<Route, "method" | "path">) => `${route.method} ${route.path}`;

/** Routes whose action declares no valid auth level (or whose alias names no action of a running service). */
export function undeclaredRoutes(routes: Route[]): string[] {
	return routes
		.filter((route) => !(AUTH_LEVELS as readonly unknown[]).includes(route.auth))
		.map((route) => `${routeName(route)} (${route.action ?? "no action"}: auth ${JSON.stringify(route.auth ?? null)})`);
}

/**
 * Parameterised routes the table does not cover: the template itself, or one of its methods. Public
 * entries cover every method of their template (their probe decides what to try).
 */
export function uncoveredRoutes(
	routes: Route[],
	table: Record<string, { public?: unknown; methods?: Partial<Record<Method, unknown>> }>,
): string[] {
	return routes
		.filter((route) => route.params.length > 0)
		.filter((route) => {
			const entry = Object.hasOwn(table, route.path) ? table[route.path] : undefined;
			if (!entry) return true;
			if (entry.public) return false;
			return !entry.methods?.[route.method];
		})
		.map((route) => routeName(route));
}

/** A template with its parameters filled in (each value URL-encoded); a parameter without a value throws. */
export function fillPath(template: string, values: Record<string, string>): string {
	return template.replace(/:([A-Za-z0-9_]+)/g, (_all, name: string) => {
		const value = values[name];
		if (typeof value !== "string") throw new Error(`no value for :${name} of ${template}`);
		return encodeURIComponent(value);
	});
}

/**
 * Every way of mixing the caller's own values with the victim's for a route's parameters, at least one
 * of them the victim's: `/datasets/:id/images/:imageId` gives (B, B), (A, B) and (B, A).
 */
export function mixedParams(
	names: string[],
	own: Record<string, string>,
	victims: Record<string, string>,
): { values: Record<string, string>; victimParams: string[] }[] {
	const combos: { values: Record<string, string>; victimParams: string[] }[] = [];
	for (let mask = 1; mask < 2 ** names.length; mask++) {
		const victimParams = names.filter((_name, index) => mask & (2 ** index));
		const values = Object.fromEntries(names.map((name) => [name, victimParams.includes(name) ? victims[name] : own[name]]));
		combos.push({ values, victimParams });
	}
	return combos;
}
