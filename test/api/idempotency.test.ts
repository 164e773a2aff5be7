import { randomUUID } from "node:crypto";
import http from "node:http";
import request from "supertest";
import { defineService } from "../../lib/define-service";
import { Conflict } from "../../lib/errors";
import type { Principal } from "../../lib/types";
import { bodyFingerprint, canonicalJson, MemoryIdempotencyStore } from "../../services/api/idempotency";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";
import { freePort, privateRedis, type ServerProcess } from "../support/processes";

/** How many times each entry name reached the action, across every gateway of this file. */
const executions = new Map<string, number>();
const ran = (name: string) => executions.get(name) ?? 0;

/** A stand-in product service: a create that answers 201 with a Location, a 204 command, a public route. */
const ledgerService = defineService({
	name: "ledger",
	settings: { rest: "/" },
	actions: {
		create: {
			rest: "POST /entries",
			auth: "user",
			summary: "Create an entry",
			successStatus: 201,
			errors: [409],
			params: {
				$$strict: true,
				name: { type: "string", min: 1, max: 80 },
				amount: { type: "number", optional: true },
				tags: { type: "array", items: "string", optional: true },
				waitMs: { type: "number", integer: true, min: 0, max: 5000, optional: true },
				fail: { type: "enum", values: ["once", "always-conflict"], optional: true },
			},
			async handler(ctx) {
				const count = ran(ctx.params.name) + 1;
				executions.set(ctx.params.name, count);
				if (ctx.params.waitMs) await new Promise((resolve) => setTimeout(resolve, ctx.params.waitMs));
				if (ctx.params.fail === "once" && count === 1) throw new Error("the disk is on fire at /var/lib/ledger");
				if (ctx.params.fail === "always-conflict") throw new Conflict("The ledger is closed");
				const id = `${ctx.params.name}-${count}`;
				ctx.meta.$location = `/api/v1/entries/${id}`;
				return {
					id,
					owner: (ctx.meta.user as Principal).id,
					amount: ctx.params.amount ?? 0,
					idempotencyKey: (ctx.meta as { idempotencyKey?: string }).idempotencyKey ?? null,
				};
			},
		},
		approve: {
			rest: "POST /entries/:id/approve",
			auth: "user",
			successStatus: 204,
			params: { id: "string" },
			handler(ctx) {
				executions.set(`approve:${ctx.params.id}`, ran(`approve:${ctx.params.id}`) + 1);
				return null;
			},
		},
		publicCreate: {
			rest: "POST /public/entries",
			auth: "public",
			params: { name: "string" },
			handler(ctx) {
				executions.set(ctx.params.name, ran(ctx.params.name) + 1);
				return { name: ctx.params.name };
			},
		},
		read: {
			rest: "GET /entries/:id",
			auth: "user",
			params: { id: "string" },
			handler(ctx) {
				return { id: ctx.params.id };
			},
		},
	},
});

const ROUTES = ["ledger.create", "ledger.approve", "ledger.publicCreate", "ledger.read"];
const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;

function startLedgerGateway(env: Record<string, string> = {}) {
	return startGateway({ env: { RATE_LIMIT_DEFAULT: "100000", ...env }, services: [ledgerService], waitFor: ROUTES });
}

/** A request whose headers are written as given (supertest would fold a repeated header into one). */
function rawPost(
	url: string,
	path: string,
	headers: [string, string][],
	body: object,
): Promise<{ status: number; body: Record<string, unknown> }> {
	const target = new URL(path, url);
	return new Promise((resolve, reject) => {
		const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST" }, (res) => {
			const chunks: Buffer[] = [];
			res.on("data", (chunk) => chunks.push(chunk));
			res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }));
		});
		req.on("error", reject);
		const values = new Map<string, string[]>();
		for (const [name, value] of headers) values.set(name, [...(values.get(name) ?? []), value]);
		for (const [name, list] of values) req.setHeader(name, list.length === 1 ? list[0] : list);
		req.setHeader("Content-Type", "application/json");
		req.end(JSON.stringify(body));
	});
}

describe("Idempotency-Key on POST routes (one gateway, keys in memory)", () => {
	let gateway: RunningGateway;
	let alice: string;
	let bob: string;

	beforeAll(async () => {
		gateway = await startLedgerGateway();
		alice = `Bearer ${await gateway.tokenFor(`alice-${randomUUID()}`)}`;
		bob = `Bearer ${await gateway.tokenFor(`bob-${randomUUID()}`)}`;
	});
	afterAll(() => gateway.stop());

	const post = (path: string, auth: string, key: string | undefined, body: object = {}) => {
		const call = request(gateway.url).post(`/api/v1${path}`).set("Authorization", auth);
		if (key !== undefined) call.set("Idempotency-Key", key);
		return call.send(body);
	};

	it("replays the first answer to a repeat: status, body, Location and Content-Type, marked as a replay, without running the action again", async () => {
		const name = unique("replay");
		const key = randomUUID();
		const first = await post("/entries", alice, key, { name, amount: 5 }).expect(201);
		expect(first.headers["idempotent-replayed"]).toBeUndefined();
		expect(first.headers.location).toBe(`/api/v1/entries/${name}-1`);
		const again = await post("/entries", alice, key, { name, amount: 5 }).expect(201);
		expect(again.headers["idempotent-replayed"]).toBe("true");
		expect(again.body).toEqual(first.body);
		expect(again.headers.location).toBe(first.headers.location);
		expect(again.headers["content-type"]).toBe(first.headers["content-type"]);
		// each answer has its own request id; the replay is not a copy of the first answer's envelope
		expect(again.headers["x-request-id"]).not.toBe(first.headers["x-request-id"]);
		expect(again.headers["cache-control"]).toBe("no-store");
		expect(ran(name)).toBe(1);
		// without a key the same body is a new request
		const unkeyed = await post("/entries", alice, undefined, { name, amount: 5 }).expect(201);
		expect(unkeyed.body.id).toBe(`${name}-2`);
		expect(unkeyed.body.idempotencyKey).toBeNull();
	});

	it("replays a command's 204 with no body", async () => {
		const id = unique("cmd");
		const key = randomUUID();
		const first = await post(`/entries/${id}/approve`, alice, key).expect(204);
		const again = await post(`/entries/${id}/approve`, alice, key).expect(204);
		expect(first.text).toBe("");
		expect(again.text).toBe("");
		expect(again.headers["idempotent-replayed"]).toBe("true");
		expect(ran(`approve:${id}`)).toBe(1);
	});

	it("takes the body's canonical form: the same fields in another order are the same request", async () => {
		const name = unique("canonical");
		const key = randomUUID();
		const first = await post("/entries", alice, key, { name, amount: 1, tags: ["a", "b"] }).expect(201);
		const reordered = await request(gateway.url)
			.post("/api/v1/entries")
			.set("Authorization", alice)
			.set("Idempotency-Key", key)
			.set("Content-Type", "application/json")
			.send(`{ "tags": ["a", "b"], "amount": 1.0, "name": ${JSON.stringify(name)} }`)
			.expect(201);
		expect(reordered.headers["idempotent-replayed"]).toBe("true");
		expect(reordered.body).toEqual(first.body);
		expect(canonicalJson({ b: [2, { d: 1, c: null }], a: "x" })).toBe('{"a":"x","b":[2,{"c":null,"d":1}]}');
		expect(bodyFingerprint(undefined)).toBe(bodyFingerprint({}));
		expect(bodyFingerprint({ a: 1, b: 2 })).toBe(bodyFingerprint({ b: 2, a: 1 }));
		expect(bodyFingerprint({ a: 1 })).not.toBe(bodyFingerprint({ a: "1" }));
	});

	it("answers 422 problem+json naming the header when a key comes back with a different body, and runs nothing", async () => {
		const name = unique("mismatch");
		const key = randomUUID();
		await post("/entries", alice, key, { name, amount: 1 }).expect(201);
		const res = await post("/entries", alice, key, { name, amount: 2 }).expect(422);
		expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(res.body).toMatchObject({
			status: 422,
			type: expect.stringContaining("validation-failed"),
			detail: expect.stringContaining("Idempotency-Key"),
			errors: [{ field: "Idempotency-Key", message: expect.stringContaining("different request body") }],
		});
		expect(res.headers["idempotent-replayed"]).toBeUndefined();
		expect(ran(name)).toBe(1);
	});

	it("answers 409 problem+json with Retry-After to a repeat that arrives while the first is still running, then replays", async () => {
		const name = unique("concurrent");
		const key = randomUUID();
		const body = { name, waitMs: 400 };
		const first = post("/entries", alice, key, body).then((res) => res);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const during = await post("/entries", alice, key, body).expect(409);
		expect(during.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(during.headers["retry-after"]).toBe("1");
		expect(during.body).toMatchObject({ status: 409, detail: expect.stringMatching(/Idempotency-Key is still being processed/) });
		const done = await first;
		expect(done.status).toBe(201);
		const after = await post("/entries", alice, key, body).expect(201);
		expect(after.headers["idempotent-replayed"]).toBe("true");
		expect(after.body).toEqual(done.body);
		expect(ran(name)).toBe(1);
	});

	it("lets exactly one of many simultaneous requests with one key run", async () => {
		const name = unique("burst");
		const key = randomUUID();
		const answers = await Promise.all(Array.from({ length: 8 }, () => post("/entries", alice, key, { name, waitMs: 200 })));
		const statuses = answers.map((res) => res.status).sort();
		expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
		expect(ran(name)).toBe(1);
	});

	it("keeps keys per caller and per route: the same key from another user or on another path is another request", async () => {
		const name = unique("principals");
		const key = randomUUID();
		const fromAlice = await post("/entries", alice, key, { name }).expect(201);
		const fromBob = await post("/entries", bob, key, { name }).expect(201);
		expect(fromBob.headers["idempotent-replayed"]).toBeUndefined();
		expect([fromAlice.body.id, fromBob.body.id]).toEqual([`${name}-1`, `${name}-2`]);
		const aliceAgain = await post("/entries", alice, key, { name }).expect(201);
		const bobAgain = await post("/entries", bob, key, { name }).expect(201);
		expect(aliceAgain.body).toEqual(fromAlice.body);
		expect(bobAgain.body).toEqual(fromBob.body);
		expect(bobAgain.body.owner).not.toBe(aliceAgain.body.owner);
		// the services see an opaque, caller-scoped id, never the raw key
		expect(fromAlice.body.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
		expect(fromAlice.body.idempotencyKey).not.toBe(fromBob.body.idempotencyKey);
		expect(fromAlice.body.idempotencyKey).not.toContain(key);
		expect(ran(name)).toBe(2);
		// another route with the same key runs too
		await post(`/entries/${name}/approve`, alice, key).expect(204);
		expect(ran(`approve:${name}`)).toBe(1);
	});

	it.each([
		["empty", ""],
		["256 characters", "k".repeat(256)],
		["a tab", "a\tb"],
		["a non-ASCII character", "caf\u00e9"],
	])("answers 400 problem+json naming the header for a key with %s, running nothing", async (_what, key) => {
		const name = unique("badkey");
		const res = await rawPost(
			gateway.url,
			"/api/v1/entries",
			[
				["Authorization", alice],
				["Idempotency-Key", key],
			],
			{ name },
		);
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({
			status: 400,
			type: expect.stringContaining("bad-request"),
			detail: expect.stringContaining("Idempotency-Key"),
		});
		expect(ran(name)).toBe(0);
	});

	it("answers 400 to a request carrying two Idempotency-Key headers, and accepts 255 characters and the draft's quoted form", async () => {
		const name = unique("twice");
		const twice = await rawPost(
			gateway.url,
			"/api/v1/entries",
			[
				["Authorization", alice],
				["Idempotency-Key", "one"],
				["Idempotency-Key", "two"],
			],
			{ name },
		);
		expect(twice.status).toBe(400);
		expect(twice.body.detail).toMatch(/one Idempotency-Key header/);
		expect(ran(name)).toBe(0);
		const longest = `k${randomUUID()}`.padEnd(255, "x");
		await post("/entries", alice, longest, { name }).expect(201);
		const key = randomUUID();
		const plain = await post("/entries", alice, key, { name }).expect(201);
		const quoted = await post("/entries", alice, `"${key}"`, { name }).expect(201);
		expect(quoted.headers["idempotent-replayed"]).toBe("true");
		expect(quoted.body).toEqual(plain.body);
		expect(ran(name)).toBe(2);
	});

	it("keeps no 5xx answer: the key can be retried, and the retry runs the action and is kept in turn", async () => {
		const name = unique("crash");
		const key = randomUUID();
		const failed = await post("/entries", alice, key, { name, fail: "once" }).expect(500);
		expect(failed.body).toMatchObject({ status: 500 });
		expect(JSON.stringify(failed.body)).not.toContain("disk");
		const retried = await post("/entries", alice, key, { name, fail: "once" }).expect(201);
		expect(retried.headers["idempotent-replayed"]).toBeUndefined();
		expect(retried.body.id).toBe(`${name}-2`);
		const replayed = await post("/entries", alice, key, { name, fail: "once" }).expect(201);
		expect(replayed.headers["idempotent-replayed"]).toBe("true");
		expect(ran(name)).toBe(2);
	});

	it("keeps a 4xx answer the action gave, and replays it", async () => {
		const name = unique("refused");
		const key = randomUUID();
		const first = await post("/entries", alice, key, { name, fail: "always-conflict" }).expect(409);
		const again = await post("/entries", alice, key, { name, fail: "always-conflict" }).expect(409);
		expect(again.headers["idempotent-replayed"]).toBe("true");
		expect(again.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(again.body).toEqual(first.body);
		expect(ran(name)).toBe(1);
	});

	it("leaves public routes and reads alone: the header is neither checked nor used there", async () => {
		const name = unique("public");
		for (let i = 0; i < 2; i++) {
			const res = await request(gateway.url).post("/api/v1/public/entries").set("Idempotency-Key", "same").send({ name }).expect(200);
			expect(res.headers["idempotent-replayed"]).toBeUndefined();
		}
		await request(gateway.url).post("/api/v1/public/entries").set("Idempotency-Key", "").send({ name }).expect(200);
		expect(ran(name)).toBe(3);
		await request(gateway.url).get("/api/v1/entries/x").set("Authorization", alice).set("Idempotency-Key", "k".repeat(300)).expect(200);
	});

	it("declares the header, the replay marker and the 409/422 answers on POSTs with a caller in the OpenAPI document, and only there", async () => {
		const document = (await request(gateway.url).get("/api/v1/openapi.json").expect(200)).body;
		const ref = { $ref: "#/components/parameters/IdempotencyKey" };
		const create = document.paths["/api/v1/entries"].post;
		expect(create.parameters).toContainEqual(ref);
		expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["400", "409", "422"]));
		expect(create.responses["201"].headers["Idempotent-Replayed"].schema).toEqual({ type: "string", enum: ["true"] });
		expect(document.paths["/api/v1/entries/{id}/approve"].post.parameters).toContainEqual(ref);
		expect(document.paths["/api/v1/public/entries"].post.parameters ?? []).not.toContainEqual(ref);
		expect(document.paths["/api/v1/entries/{id}"].get.parameters).not.toContainEqual(ref);
		expect(document.components.parameters.IdempotencyKey).toMatchObject({
			name: "Idempotency-Key",
			in: "header",
			required: false,
			schema: { type: "string", minLength: 1, maxLength: 255 },
		});
	});

	it("does not let a refused request claim the key: a 401 leaves it free for the signed-in retry", async () => {
		const name = unique("unauthenticated");
		const key = randomUUID();
		await request(gateway.url).post("/api/v1/entries").set("Idempotency-Key", key).send({ name }).expect(401);
		const res = await post("/entries", alice, key, { name }).expect(201);
		expect(res.headers["idempotent-replayed"]).toBeUndefined();
		expect(ran(name)).toBe(1);
	});
});

describe("Idempotency-Key expiry and limits", () => {
	it("forgets a key after GATEWAY_IDEMPOTENCY_TTL_SECONDS: a repeat after that runs again", async () => {
		const gateway = await startLedgerGateway({ GATEWAY_IDEMPOTENCY_TTL_SECONDS: "1" });
		try {
			const auth = `Bearer ${await gateway.tokenFor(`carol-${randomUUID()}`)}`;
			const name = unique("expiry");
			const key = randomUUID();
			const send = () => request(gateway.url).post("/api/v1/entries").set("Authorization", auth).set("Idempotency-Key", key).send({ name });
			await send().expect(201);
			expect((await send().expect(201)).headers["idempotent-replayed"]).toBe("true");
			await new Promise((resolve) => setTimeout(resolve, 1200));
			const later = await send().expect(201);
			expect(later.headers["idempotent-replayed"]).toBeUndefined();
			expect(later.body.id).toBe(`${name}-2`);
			expect(ran(name)).toBe(2);
		} finally {
			await gateway.stop();
		}
	});

	it("keeps no 504: a call that outlives GATEWAY_REQUEST_TIMEOUT_MS leaves the key free", async () => {
		const gateway = await startLedgerGateway({ GATEWAY_REQUEST_TIMEOUT_MS: "300" });
		try {
			const auth = `Bearer ${await gateway.tokenFor(`dan-${randomUUID()}`)}`;
			const name = unique("timeout");
			const key = randomUUID();
			const send = (waitMs: number) =>
				request(gateway.url).post("/api/v1/entries").set("Authorization", auth).set("Idempotency-Key", key).send({ name, waitMs });
			await send(600).expect(504);
			// the same key with the same body again, once the slow first run has ended on its own
			await new Promise((resolve) => setTimeout(resolve, 400));
			await send(600).expect(504);
			expect(ran(name)).toBe(2);
		} finally {
			await gateway.stop();
		}
	});

	it("refuses a key lifetime outside 1 second to 7 days at start-up, naming the variable", () => {
		for (const value of ["0", "604801", "soon"]) {
			expect(() => testConfig({ GATEWAY_IDEMPOTENCY_TTL_SECONDS: value })).toThrow(/GATEWAY_IDEMPOTENCY_TTL_SECONDS/);
		}
		expect(testConfig({ GATEWAY_IDEMPOTENCY_TTL_SECONDS: "604800" }).gateway.idempotencyTtlSeconds).toBe(604800);
		expect(testConfig().gateway.idempotencyTtlSeconds).toBe(86400);
	});

	it("expires entries of the in-memory store after their own time to live", async () => {
		const store = new MemoryIdempotencyStore();
		expect(await store.claim("k", "running", 50)).toBeNull();
		expect(await store.claim("k", "other", 50)).toBe("running");
		await store.replace("k", "not-mine", "done", 50);
		expect(await store.claim("k", "other", 50)).toBe("running");
		await store.replace("k", "running", "done", 50);
		expect(await store.claim("k", "other", 50)).toBe("done");
		await new Promise((resolve) => setTimeout(resolve, 80));
		expect(await store.claim("k", "fresh", 50)).toBeNull();
		await store.release("k", "someone-else");
		expect(await store.claim("k", "x", 50)).toBe("fresh");
		await store.release("k", "fresh");
		expect(await store.claim("k", "x", 50)).toBeNull();
	});
});

describe("Idempotency-Key shared by two gateway replicas through Redis", () => {
	let redis: ServerProcess;
	let one: RunningGateway;
	let two: RunningGateway;
	let auth: string;

	beforeAll(async () => {
		redis = await privateRedis();
		const env = {
			REDIS_URL: `redis://127.0.0.1:${redis.port}`,
			REDIS_KEY_PREFIX: `idem-${randomUUID().slice(0, 8)}:`,
			REDIS_COMMAND_TIMEOUT_MS: "1000",
		};
		[one, two] = await Promise.all([startLedgerGateway(env), startLedgerGateway(env)]);
		auth = `Bearer ${await one.tokenFor(`erin-${randomUUID()}`)}`;
	});
	afterAll(async () => {
		await Promise.all([one?.stop(), two?.stop()]);
		await redis?.stop();
	});

	const post = (gateway: RunningGateway, key: string, body: object) =>
		request(gateway.url).post("/api/v1/entries").set("Authorization", auth).set("Idempotency-Key", key).send(body);

	it("replays on one replica the answer the other gave, and refuses a different body there", async () => {
		const name = unique("shared");
		const key = randomUUID();
		const first = await post(one, key, { name }).expect(201);
		const elsewhere = await post(two, key, { name }).expect(201);
		expect(elsewhere.headers["idempotent-replayed"]).toBe("true");
		expect(elsewhere.body).toEqual(first.body);
		expect(elsewhere.headers.location).toBe(first.headers.location);
		await post(two, key, { name, amount: 3 }).expect(422);
		expect(ran(name)).toBe(1);
	});

	it("lets one of two simultaneous requests on different replicas run; the other gets 409", async () => {
		const name = unique("race");
		const key = randomUUID();
		const answers = await Promise.all([post(one, key, { name, waitMs: 300 }), post(two, key, { name, waitMs: 300 })]);
		expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
		expect(ran(name)).toBe(1);
		const winner = answers.find((res) => res.status === 201);
		const replayed = await post(answers[0].status === 201 ? two : one, key, { name, waitMs: 300 }).expect(201);
		expect(replayed.body).toEqual(winner?.body);
	});

	it("keeps in Redis neither the key, the answer nor the body in the clear, and gives every entry a time to live", async () => {
		const name = unique("sealed");
		const key = `visible-${randomUUID()}`;
		await post(one, key, { name, amount: 123456789 }).expect(201);
		const Redis = (await import("ioredis")).default;
		const client = new Redis(`redis://127.0.0.1:${redis.port}`);
		try {
			const prefix = one.config.redis.keyPrefix;
			const names = await client.keys(`${prefix}idem:*`);
			expect(names.length).toBeGreaterThan(0);
			const values = await Promise.all(names.map((entry) => client.get(entry)));
			const dump = [...names, ...values].join("\n");
			expect(dump).not.toContain(key);
			expect(dump).not.toContain(name);
			expect(dump).not.toContain("123456789");
			const ttls = await Promise.all(names.map((entry) => client.pttl(entry)));
			for (const ttl of ttls) expect(ttl).toBeGreaterThan(0);
			expect(Math.max(...ttls)).toBeLessThanOrEqual(86_400_000);
		} finally {
			client.disconnect();
		}
	});

	it("answers 503 to keyed POSTs when Redis is unreachable rather than risk running one twice; unkeyed ones still run", async () => {
		const gateway = await startLedgerGateway({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, REDIS_COMMAND_TIMEOUT_MS: "100" });
		try {
			const name = unique("no-redis");
			const res = await post(gateway, randomUUID(), { name }).expect(503);
			expect(res.body).toMatchObject({ status: 503 });
			expect(res.headers["retry-after"]).toBeDefined();
			expect(ran(name)).toBe(0);
			await request(gateway.url).post("/api/v1/entries").set("Authorization", auth).send({ name }).expect(201);
			expect(ran(name)).toBe(1);
		} finally {
			await gateway.stop();
		}
	});
});
