import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
	ActivityRecorder,
	type AnsweredRequest,
	activityEntry,
	FLUSH_AFTER_MS,
	FLUSH_AT,
	type RoutedRequest,
	resourceOf,
} from "../../../../services/api/activity-recorder";
import type { ActivityEntry } from "../../../../services/auth/activity";

const ALICE = { id: "alice", role: "user" as const, via: "jwt" as const };

function answered(overrides: Partial<AnsweredRequest>): AnsweredRequest {
	return {
		method: "POST",
		route: "/api/v1/datasets",
		action: "dataset.createDataset",
		params: {},
		status: 201,
		user: ALICE,
		requestId: "req-1",
		clientAddress: "203.0.113.7",
		at: new Date("2026-11-26T09:00:00.000Z"),
		...overrides,
	};
}

describe("which resource a request was about", () => {
	it.each([
		["POST", "/api/v1/datasets", {}, 201, "ds-1", { resourceType: "dataset", resourceId: "ds-1" }],
		["POST", "/api/v1/datasets", { name: "x" }, 422, undefined, { resourceType: "dataset", resourceId: null }],
		["POST", "/api/v1/datasets/:id/exports", { id: "ds-1" }, 202, "ex-1", { resourceType: "export", resourceId: "ex-1" }],
		["POST", "/api/v1/datasets/:id/build", { id: "ds-1" }, 202, undefined, { resourceType: "dataset", resourceId: "ds-1" }],
		[
			"PATCH",
			"/api/v1/datasets/:id/images/:imageId",
			{ id: "ds-1", imageId: "im-1" },
			200,
			"im-1",
			{ resourceType: "image", resourceId: "im-1" },
		],
		["DELETE", "/api/v1/tokens/:id", { id: "tk-1" }, 204, undefined, { resourceType: "token", resourceId: "tk-1" }],
		["POST", "/api/v1/admin/tasks/:id/requeue", { id: "t-1" }, 200, "t-1", { resourceType: "task", resourceId: "t-1" }],
		["PATCH", "/api/v1/admin/users/:id/limits", { id: "u-2" }, 200, undefined, { resourceType: "user", resourceId: "u-2" }],
		["POST", "/api/v1/auth/register", {}, 201, "u-3", { resourceType: "user", resourceId: "u-3" }],
		["POST", "/api/v1/auth/password", {}, 204, undefined, { resourceType: "user", resourceId: "alice" }],
		["PATCH", "/api/v1/auth/me", {}, 200, "alice", { resourceType: "user", resourceId: "alice" }],
	])("%s %s (%s, %s)", (_method, route, params, status, answerId, expected) => {
		expect(resourceOf({ route, params, status, answerId }, "alice")).toEqual(expected);
	});

	it("cuts a path parameter longer than any id", () => {
		const { resourceId } = resourceOf({ route: "/api/v1/datasets/:id", params: { id: "x".repeat(5000) }, status: 404 }, null);
		expect(resourceId).toHaveLength(128);
	});
});

describe("an activity entry", () => {
	it("names the signed-in user, or the account a public action reported, and the token used", () => {
		expect(activityEntry(answered({ answerId: "ds-1" }))).toEqual({
			at: new Date("2026-11-26T09:00:00.000Z"),
			userId: "alice",
			via: "jwt",
			tokenId: null,
			action: "dataset.createDataset",
			method: "POST",
			route: "/api/v1/datasets",
			resourceType: "dataset",
			resourceId: "ds-1",
			status: 201,
			requestId: "req-1",
			clientAddress: "203.0.113.7",
		});
		const viaToken = activityEntry(answered({ user: { ...ALICE, via: "apiToken", tokenId: "tk-9" } }));
		expect(viaToken).toMatchObject({ userId: "alice", via: "apiToken", tokenId: "tk-9" });
		const signIn = activityEntry(
			answered({ route: "/api/v1/auth/login", action: "auth.login", status: 200, user: null, reportedUserId: "bob" }),
		);
		expect(signIn).toMatchObject({ userId: "bob", via: null, resourceType: "user", resourceId: "bob" });
		const anonymous = activityEntry(answered({ user: null, status: 401 }));
		expect(anonymous).toMatchObject({ userId: null, via: null, tokenId: null, status: 401 });
	});

	it("holds only its documented fields, whatever the request carried", () => {
		const entry = activityEntry(answered({ params: { password: "hunter2hunter2", refreshToken: "eyJ.secret" } }));
		expect(Object.keys(entry).sort()).toEqual(
			[
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
			].sort(),
		);
		expect(JSON.stringify(entry)).not.toMatch(/hunter2|secret/);
	});
});

function fakeExchange(method: string, routed = true) {
	const req = Object.assign(new EventEmitter(), {
		method,
		$alias: routed ? { method, fullPath: "/api/v1/datasets/:id", action: "dataset.removeDataset" } : undefined,
		$action: routed ? { name: "dataset.removeDataset" } : undefined,
		$params: { id: "ds-1" },
		$ctx: { meta: { user: ALICE } },
	}) as unknown as RoutedRequest;
	const res = Object.assign(new EventEmitter(), { statusCode: 204, writableFinished: true }) as unknown as ServerResponse & {
		writableFinished: boolean;
	};
	return { req, res };
}

describe("ActivityRecorder", () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	const entry = (n: number) => activityEntry(answered({ requestId: `req-${n}` }));

	it("sends entries in one batch a moment after the first, and at once when a batch is full", async () => {
		const batches: ActivityEntry[][] = [];
		const recorder = new ActivityRecorder(async (entries) => batches.push(entries), { warn: jest.fn() });
		recorder.add(entry(1));
		recorder.add(entry(2));
		expect(batches).toEqual([]);
		jest.advanceTimersByTime(FLUSH_AFTER_MS);
		expect(batches.map((batch) => batch.map((item) => item.requestId))).toEqual([["req-1", "req-2"]]);
		for (let n = 0; n < FLUSH_AT; n++) recorder.add(entry(n));
		expect(batches).toHaveLength(2);
		expect(batches[1]).toHaveLength(FLUSH_AT);
		await recorder.close();
	});

	it("logs what the repository did not take and never throws", async () => {
		const warn = jest.fn();
		const recorder = new ActivityRecorder(() => Promise.reject(new Error("auth-activity is not available")), { warn });
		recorder.add(entry(1));
		await expect(recorder.close()).resolves.toBeUndefined();
		expect(warn).toHaveBeenCalledWith(expect.objectContaining({ entries: 1 }), "activity entries were not recorded");
	});

	it("watches routed state-changing requests only, and records a client that left first as 499", async () => {
		const batches: ActivityEntry[][] = [];
		const recorder = new ActivityRecorder(async (entries) => batches.push(entries), { warn: jest.fn() });
		const address = () => "198.51.100.4";
		const read = fakeExchange("GET");
		recorder.watch(read.req, read.res, "req-get", address);
		read.res.emit("finish");
		read.res.emit("close");
		const unrouted = fakeExchange("POST", false);
		recorder.watch(unrouted.req, unrouted.res, "req-unrouted", address);
		unrouted.res.emit("close");
		const deleted = fakeExchange("DELETE");
		recorder.watch(deleted.req, deleted.res, "req-delete", address);
		deleted.res.emit("finish");
		deleted.res.emit("close");
		const abandoned = fakeExchange("DELETE");
		(abandoned.res as { writableFinished: boolean }).writableFinished = false;
		recorder.watch(abandoned.req, abandoned.res, "req-abandoned", address);
		abandoned.res.emit("close");
		await recorder.close();
		const recorded = batches.flat();
		expect(recorded.map((item) => [item.requestId, item.status, item.resourceId, item.clientAddress])).toEqual([
			["req-delete", 204, "ds-1", "198.51.100.4"],
			["req-abandoned", 499, "ds-1", "198.51.100.4"],
		]);
	});

	it("names what a creation made from the answer's id, and ignores answers to reads", async () => {
		const batches: ActivityEntry[][] = [];
		const recorder = new ActivityRecorder(async (entries) => batches.push(entries), { warn: jest.fn() });
		const { req, res } = fakeExchange("POST");
		Object.assign(req, { $alias: { method: "POST", fullPath: "/api/v1/datasets" }, $params: {} });
		(res as { statusCode: number }).statusCode = 201;
		recorder.watch(req, res, "req-create", () => "127.0.0.1");
		recorder.noteAnswer(req as IncomingMessage, { id: "ds-new", name: "cats" });
		res.emit("finish");
		res.emit("close");
		await recorder.close();
		expect(batches.flat()[0]).toMatchObject({ resourceType: "dataset", resourceId: "ds-new", status: 201 });
	});
});
