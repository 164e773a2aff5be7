import { ValidationFailed } from "../../lib/errors";
import { objectId, page, pageSize } from "../../lib/params";

/**
 * The activity log: one entry per state-changing request (POST, PUT, PATCH, DELETE) the gateway
 * routed, whatever its outcome. An entry says who (user, and how they signed in), what (the action and
 * the route), on which resource, when, from where and with which result — never a body, a header or a
 * query string, so no password, token or secret can end up in it.
 */
export const ACTIVITY_SERVICE = "auth-activity";

export const ACTIVITY_FIELDS = [
	"id",
	"at",
	"userId",
	"via",
	"tokenId",
	"action",
	"method",
	"route",
	"resourceType",
	"resourceId",
	"status",
	"requestId",
	"clientAddress",
];

export interface ActivityEntry {
	/** When the answer was sent. */
	at: Date;
	/** Who: the signed-in user, or the account a sign-up, sign-in, refresh or sign-out was for; null for anonymous callers. */
	userId: string | null;
	via: "jwt" | "apiToken" | null;
	/** The API token used, when one was. */
	tokenId: string | null;
	/** The action the route runs, e.g. dataset.createDataset. */
	action: string;
	method: string;
	/** The route as declared, with its parameters' names, e.g. /api/v1/datasets/:id. */
	route: string;
	resourceType: string | null;
	resourceId: string | null;
	/** The HTTP status of the answer; 499 when the client went away before it. */
	status: number;
	requestId: string;
	clientAddress: string;
}

const nullableId = { type: "string", max: 128, nullable: true };

/** An entry as the gateway sends it over the bus (dates travel as ISO strings). */
export const ENTRY_RULE = {
	type: "object",
	strict: true,
	props: {
		at: { type: "date", convert: true },
		userId: nullableId,
		via: { type: "enum", values: ["jwt", "apiToken"], nullable: true },
		tokenId: nullableId,
		action: { type: "string", min: 1, max: 200 },
		method: { type: "enum", values: ["POST", "PUT", "PATCH", "DELETE"] },
		route: { type: "string", min: 1, max: 300 },
		resourceType: { type: "string", max: 64, nullable: true },
		resourceId: nullableId,
		status: { type: "number", integer: true, min: 100, max: 599 },
		requestId: { type: "string", min: 1, max: 128 },
		clientAddress: { type: "string", max: 64 },
	},
};

const time = (description: string) => ({ type: "date", convert: true, optional: true, description });

/** Filters both lists take; the superuser's adds `userId`. */
export const ACTIVITY_FILTERS = {
	$$strict: true,
	page,
	pageSize,
	action: { type: "string", trim: true, min: 1, max: 200, optional: true, description: "An action name, e.g. dataset.createDataset" },
	resourceType: { type: "string", trim: true, min: 1, max: 64, optional: true, description: "e.g. dataset, image, token, user" },
	resourceId: { type: "string", trim: true, min: 1, max: 128, optional: true },
	from: time("Entries at or after this time (ISO 8601)"),
	to: time("Entries before this time (ISO 8601)"),
};

export const ADMIN_ACTIVITY_FILTERS = { ...ACTIVITY_FILTERS, userId: { ...objectId, optional: true, description: "Whose requests" } };

export interface ActivityFilters {
	userId?: string;
	action?: string;
	resourceType?: string;
	resourceId?: string;
	from?: Date;
	to?: Date;
}

/**
 * The repository filter for a list's parameters. Time bounds use query operators, so the caller marks
 * the filter as its own (`trusted`); the other values are compared for equality.
 */
export function activityQuery(filters: ActivityFilters, trusted: <T extends object>(filter: T) => T): Record<string, unknown> {
	if (filters.from && filters.to && filters.from.getTime() > filters.to.getTime()) {
		throw new ValidationFailed([{ field: "to", message: "The end of the period comes before its start" }]);
	}
	const query: Record<string, unknown> = {};
	for (const field of ["userId", "action", "resourceType", "resourceId"] as const) {
		if (filters[field] !== undefined) query[field] = filters[field];
	}
	if (!filters.from && !filters.to) return query;
	const at: Record<string, Date> = {};
	if (filters.from) at.$gte = filters.from;
	if (filters.to) at.$lt = filters.to;
	return trusted({ ...query, at });
}

/** Entries recorded before this moment are past the retention period. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
	return new Date(now.getTime() - retentionDays * 86_400_000);
}
