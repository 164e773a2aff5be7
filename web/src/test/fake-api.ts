import { vi } from "vitest";
import { ApiClient } from "../api/client";

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: Record<string, string>;
	body: unknown;
}

type Answer = FakeAnswer | ((request: RecordedRequest) => FakeAnswer);
/**
 * `body` is sent as JSON; `events` as a text/event-stream body that ends after them (`open: true`
 * keeps it open until the request is aborted, as a live stream does).
 */
export type FakeAnswer = {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	events?: { event: string; data: unknown; id?: number }[];
	open?: boolean;
};

function eventStream(answer: FakeAnswer, signal: AbortSignal | null | undefined): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	return new ReadableStream({
		start(controller) {
			for (const event of answer.events ?? []) {
				const id = event.id === undefined ? "" : `id: ${event.id}\n`;
				controller.enqueue(encoder.encode(`${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`));
			}
			if (!answer.open) controller.close();
			else
				signal?.addEventListener("abort", () => {
					try {
						controller.error(new DOMException("aborted", "AbortError"));
					} catch {
						// already closed
					}
				});
		},
	});
}

/**
 * An ApiClient whose fetch answers from a table: `"GET /datasets"` → answer (or a function of the
 * request). Unlisted routes answer 404 problem+json; every request is recorded in `requests`.
 * Routes match on method and path without the query string; the longest listed prefix match wins
 * for paths with ids only when listed exactly, so list the exact paths a test needs.
 */
export function fakeApi(routes: Record<string, Answer> = {}) {
	const requests: RecordedRequest[] = [];
	const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
		const url = new URL(String(input), "http://dashboard.test");
		const path = url.pathname.replace(/^\/api\/v1/, "");
		const request: RecordedRequest = {
			method: init.method ?? "GET",
			path,
			query: url.searchParams,
			headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
			body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
		};
		requests.push(request);
		const listed = routes[`${request.method} ${path}`];
		const answer: FakeAnswer =
			listed === undefined
				? { status: 404, body: { type: "https://pixcrawler.dev/problems/not-found", title: "Not Found", status: 404 } }
				: typeof listed === "function"
					? listed(request)
					: listed;
		const status = answer.status ?? 200;
		if (answer.events)
			return new Response(eventStream(answer, init.signal), {
				status,
				headers: { "Content-Type": "text/event-stream", ...answer.headers },
			});
		const problem = status >= 400;
		return new Response(status === 204 || answer.body === undefined ? null : JSON.stringify(answer.body), {
			status,
			headers: { "Content-Type": problem ? "application/problem+json" : "application/json", ...answer.headers },
		});
	});
	const api = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch });
	return { api, fetch, requests, routes };
}

/** The answers a signed-in session needs: refresh (from the cookie) and the account. */
export function signedInRoutes(overrides: Record<string, Answer> = {}): Record<string, Answer> {
	return {
		"POST /auth/refresh": { body: { accessToken: "access-1", tokenType: "Bearer", expiresIn: 900 } },
		"GET /auth/me": { body: ACCOUNT },
		...overrides,
	};
}

export const ACCOUNT = {
	id: "user-1",
	email: "ada@example.com",
	name: "Ada",
	role: "user",
	active: true,
	lastLoginAt: null,
	createdAt: "2026-01-01T00:00:00.000Z",
	updatedAt: "2026-01-01T00:00:00.000Z",
	limits: { concurrentJobs: 2, imagesPerDay: 1000, datasets: 50, storageBytes: 1073741824, apiRequestsPerMinute: null },
	usage: { concurrentJobs: 0, imagesPerDay: 0, imagesPerDayResetsAt: "2026-01-02T00:00:00.000Z", datasets: 1, storageBytes: 0 },
};

/** Page answers `{items, total, page, pageSize}`. */
export function page<T>(items: T[], total = items.length, pageNumber = 1, pageSize = 20) {
	return { items, total, page: pageNumber, pageSize };
}
