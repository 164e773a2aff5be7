import type { IncomingMessage, ServerResponse } from "node:http";
import type { Principal } from "../../lib/types";
import { ACTIVITY_SERVICE, type ActivityEntry } from "../auth/activity";

/** Requests that change state; reads are not logged. */
const RECORDED_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Entries wait this long for company before they are sent, so a burst costs one call and one write. */
export const FLUSH_AFTER_MS = 200;
/** A batch this long is sent at once (the repository takes at most 500). */
export const FLUSH_AT = 200;
/** nginx's number for "the client closed the connection before the answer". */
const CLIENT_CLOSED = 499;
/** Path parameters come from the URL: a resource id longer than any real id is cut. */
const MAX_ID_LENGTH = 128;
/** The routed API's prefix, left out when naming the resource a route is about. */
const API_PREFIX = "/api/v1";
/** Route segments that name their resource differently. */
const RESOURCE_OF_SEGMENT: Record<string, string> = { register: "user", me: "user", password: "user", activity: "activity" };

export type RoutedRequest = IncomingMessage & {
	$alias?: { method?: string; fullPath?: string; action?: string };
	$action?: { name?: string };
	$params?: Record<string, unknown>;
	$ctx?: { meta: { user?: Principal | null; activityUserId?: string } };
};

/** What the gateway knows of a request once it has answered it. */
export interface AnsweredRequest {
	method: string;
	/** The route's declared path, e.g. /api/v1/datasets/:id/images/:imageId. */
	route: string;
	action: string;
	params: Record<string, unknown>;
	status: number;
	/** The `id` of the answer's body, when it had one. */
	answerId?: string;
	user: Principal | null;
	/** An actor a public action reported (sign-up, sign-in). */
	reportedUserId?: string;
	requestId: string;
	clientAddress: string;
	at: Date;
}

function singular(segment: string): string {
	if (Object.hasOwn(RESOURCE_OF_SEGMENT, segment)) return RESOURCE_OF_SEGMENT[segment];
	return segment.endsWith("s") ? segment.slice(0, -1) : segment;
}

function idOf(value: unknown): string | null {
	return typeof value === "string" && value.length > 0 ? value.slice(0, MAX_ID_LENGTH) : null;
}

/**
 * Which resource a request was about, from its route: a creation (201 or 202 with an `id`) is about
 * the resource it created; otherwise the last path parameter names it (`/datasets/:id/images/:imageId`
 * → image); account routes are about the caller.
 */
export function resourceOf(request: Pick<AnsweredRequest, "route" | "params" | "status" | "answerId">, actorId: string | null) {
	const route = request.route.startsWith(`${API_PREFIX}/`) ? request.route.slice(API_PREFIX.length) : request.route;
	const segments = route.split("/").filter(Boolean);
	const statics = segments.filter((segment) => !segment.startsWith(":"));
	if ((request.status === 201 || request.status === 202) && request.answerId && !segments.at(-1)?.startsWith(":")) {
		return { resourceType: singular(statics.at(-1) ?? ""), resourceId: idOf(request.answerId) };
	}
	for (let index = segments.length - 1; index > 0; index--) {
		const segment = segments[index];
		if (!segment.startsWith(":") || segments[index - 1].startsWith(":")) continue;
		return { resourceType: singular(segments[index - 1]), resourceId: idOf(request.params[segment.slice(1)]) };
	}
	if (segments[0] === "auth") return { resourceType: "user", resourceId: actorId };
	return { resourceType: statics.length > 0 ? singular(statics[statics.length - 1]) : null, resourceId: null };
}

/** The activity entry of an answered request: pure, no body or header is ever read. */
export function activityEntry(request: AnsweredRequest): ActivityEntry {
	const userId = request.user?.id ?? request.reportedUserId ?? null;
	return {
		at: request.at,
		userId,
		via: request.user?.via ?? null,
		tokenId: request.user?.via === "apiToken" ? (request.user.tokenId ?? null) : null,
		action: request.action,
		method: request.method,
		route: request.route,
		...resourceOf(request, userId),
		status: request.status,
		requestId: request.requestId,
		clientAddress: request.clientAddress.slice(0, 64),
	};
}

interface Logger {
	warn(...args: unknown[]): void;
}

/**
 * The gateway's side of the activity log. It watches every state-changing request the API routes and,
 * once the answer is out, queues its entry; queued entries go to the auth service's repository in
 * batches, fire-and-forget: a slow or absent repository never delays or fails a request, and what it
 * could not take is logged.
 */
export class ActivityRecorder {
	private readonly pending: ActivityEntry[] = [];
	private timer: NodeJS.Timeout | null = null;
	private readonly sending = new Set<Promise<void>>();
	private readonly answerIds = new WeakMap<IncomingMessage, string>();

	constructor(
		private readonly send: (entries: ActivityEntry[]) => Promise<unknown>,
		private readonly logger: Logger,
	) {}

	/** Records the request once it is answered (or its client went away), if it is a routed, state-changing one. */
	watch(req: RoutedRequest, res: ServerResponse, requestId: string, clientAddress: (req: IncomingMessage) => string) {
		if (!RECORDED_METHODS.has(req.method ?? "")) return;
		let answeredAt: Date | null = null;
		res.once("finish", () => {
			answeredAt = new Date();
		});
		// "close" comes after "finish" for an answered request, and alone for one whose client left first
		res.once("close", () => {
			const alias = req.$alias;
			if (!alias?.fullPath) return;
			const meta = req.$ctx?.meta;
			this.add(
				activityEntry({
					method: String(req.method),
					route: alias.fullPath,
					action: req.$action?.name ?? alias.action ?? "unknown",
					params: req.$params ?? {},
					status: res.writableFinished ? res.statusCode : CLIENT_CLOSED,
					answerId: this.answerIds.get(req),
					user: meta?.user ?? null,
					reportedUserId: typeof meta?.activityUserId === "string" ? meta.activityUserId : undefined,
					requestId,
					clientAddress: clientAddress(req),
					at: answeredAt ?? new Date(),
				}),
			);
		});
	}

	/** Notes the id of what a request created (the answer's `id`), so its entry names the new resource. */
	noteAnswer(req: IncomingMessage, data: unknown) {
		if (!RECORDED_METHODS.has(req.method ?? "")) return;
		const id = (data as { id?: unknown } | null)?.id;
		if (typeof id === "string") this.answerIds.set(req, id);
	}

	add(entry: ActivityEntry) {
		this.pending.push(entry);
		if (this.pending.length >= FLUSH_AT) this.flush();
		else if (!this.timer) {
			this.timer = setTimeout(() => this.flush(), FLUSH_AFTER_MS);
			this.timer.unref();
		}
	}

	/** Sends what is queued; failures are logged, never thrown. */
	flush(): Promise<void> {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (this.pending.length === 0) return Promise.resolve();
		const batch = this.pending.splice(0, FLUSH_AT);
		const sent = this.send(batch)
			.then(
				() => undefined,
				(error: Error) => this.logger.warn({ err: error, entries: batch.length }, "activity entries were not recorded"),
			)
			.finally(() => this.sending.delete(sent));
		this.sending.add(sent);
		if (this.pending.length > 0) return Promise.all([sent, this.flush()]).then(() => undefined);
		return sent;
	}

	/** On shutdown: sends what is left and waits for what is on its way. */
	async close() {
		await this.flush();
		await Promise.allSettled([...this.sending]);
	}
}

/** The repository action the gateway's entries go to. */
export const RECORD_ACTION = `${ACTIVITY_SERVICE}.recordMany`;
