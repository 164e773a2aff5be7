import request from "supertest";
import { ACTIVITY_FIELDS, ACTIVITY_SERVICE } from "../../services/auth/activity";
import { createAuthService } from "../../services/auth.service";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";

/**
 * The activity log over HTTP: every state-changing request is recorded at the gateway once answered —
 * refused ones too — with who, what, which resource, when, the request id, the address and the status;
 * owners list their own entries, superusers everyone's, with validated filters; no secret is ever stored.
 */

jest.setTimeout(60000);

const ENV = { RATE_LIMIT_AUTH: "10000", AUTH_ACTIVITY_RETENTION_DAYS: "30" };
const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a new and longer passphrase";
const ROUTES = ["auth.register", "auth.listActivity", "auth.adminActivity", "dataset.createDataset", "dataset.removeDataset"];
const DATASET = { name: "cats", categories: [{ label: "cat", urls: ["https://example.org/cat.jpg"] }], sources: ["urls"] };

interface Entry {
	id: string;
	at: string;
	userId: string | null;
	via: string | null;
	tokenId: string | null;
	action: string;
	method: string;
	route: string;
	resourceType: string | null;
	resourceId: string | null;
	status: number;
	requestId: string;
	clientAddress: string;
}

interface ActivityRepository {
	adapter: { find(params: Record<string, unknown>): Promise<Record<string, unknown>[]> };
}

describe("the activity log", () => {
	let gateway: RunningGateway;
	const api = () => request(gateway.url);
	let counter = 0;
	const issued: string[] = [];

	async function signUp(role: "user" | "superuser" = "user") {
		counter += 1;
		const email = `activity-${counter}-${Date.now()}@example.com`;
		const user = (await api().post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Ada" }).expect(201)).body;
		if (role === "superuser") {
			await (
				gateway.broker.getLocalService("auth") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
			).updateInternal(user.id, { role });
		}
		const tokens = (await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200)).body;
		issued.push(tokens.accessToken, tokens.refreshToken);
		return { id: user.id as string, email, auth: `Bearer ${tokens.accessToken}`, refreshToken: tokens.refreshToken as string };
	}

	async function entriesOf(auth: string, query = "", path = "/api/v1/activity") {
		return (
			await api()
				.get(`${path}${query ? `?${query}` : ""}`)
				.set("Authorization", auth)
				.expect(200)
		).body as {
			items: Entry[];
			total: number;
			page: number;
			pageSize: number;
		};
	}

	/** Entries are written a moment after the answer (batched, fire-and-forget): wait for the one with this request id. */
	async function entryFor(requestId: string, auth: string, path = "/api/v1/admin/activity"): Promise<Entry> {
		let found: Entry | undefined;
		await waitUntil(
			async () => {
				found = (await entriesOf(auth, "pageSize=100", path)).items.find((entry) => entry.requestId === requestId);
				return found !== undefined;
			},
			5000,
			`the activity entry of ${requestId}`,
		);
		return found as Entry;
	}

	let admin: Awaited<ReturnType<typeof signUp>>;

	beforeAll(async () => {
		const config = testConfig(ENV);
		gateway = await startGateway({
			env: ENV,
			services: [createAuthService(config), createDatasetService(config), createStorageService(config)],
			waitFor: ROUTES,
		});
		admin = await signUp("superuser");
	});
	afterAll(async () => {
		await gateway?.stop();
	});

	it("records a state-changing request: who, what, which resource, when, the request id, the address and the status", async () => {
		const alice = await signUp();
		const before = Date.now();
		const created = await api()
			.post("/api/v1/datasets")
			.set("Authorization", alice.auth)
			.set("X-Request-ID", "activity-create-1")
			.send(DATASET)
			.expect(201);
		const entry = await entryFor("activity-create-1", alice.auth, "/api/v1/activity");
		expect(entry).toEqual({
			id: expect.any(String),
			at: expect.any(String),
			userId: alice.id,
			via: "jwt",
			tokenId: null,
			action: "dataset.createDataset",
			method: "POST",
			route: "/api/v1/datasets",
			resourceType: "dataset",
			resourceId: created.body.id,
			status: 201,
			requestId: "activity-create-1",
			clientAddress: expect.stringContaining("127.0.0.1"),
		});
		expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 5);
		expect(Date.parse(entry.at)).toBeLessThanOrEqual(Date.now());

		await api()
			.delete(`/api/v1/datasets/${created.body.id}`)
			.set("Authorization", alice.auth)
			.set("X-Request-ID", "activity-delete-1")
			.expect(204);
		expect(await entryFor("activity-delete-1", alice.auth, "/api/v1/activity")).toMatchObject({
			action: "dataset.removeDataset",
			method: "DELETE",
			route: "/api/v1/datasets/:id",
			resourceType: "dataset",
			resourceId: created.body.id,
			status: 204,
		});
	});

	it("names the account a sign-up or sign-in was for, and the API token a request came with", async () => {
		const bob = await signUp();
		await waitUntil(
			async () => (await entriesOf(admin.auth, `userId=${bob.id}`, "/api/v1/admin/activity")).total >= 2,
			5000,
			"bob's entries",
		);
		const bobs = (await entriesOf(admin.auth, `userId=${bob.id}`, "/api/v1/admin/activity")).items;
		expect(bobs.map((entry) => [entry.action, entry.resourceType, entry.resourceId, entry.status, entry.via])).toEqual(
			expect.arrayContaining([
				["auth.register", "user", bob.id, 201, null],
				["auth.login", "user", bob.id, 200, null],
			]),
		);

		const token = (
			await api()
				.post("/api/v1/tokens")
				.set("Authorization", bob.auth)
				.send({ name: "script", scopes: ["datasets:write"] })
				.expect(201)
		).body;
		issued.push(token.token);
		const project = await api()
			.post("/api/v1/projects")
			.set("Authorization", `Bearer ${token.token}`)
			.set("X-Request-ID", "activity-token-1")
			.send({ name: "pets" })
			.expect(201);
		expect(await entryFor("activity-token-1", bob.auth, "/api/v1/activity")).toMatchObject({
			userId: bob.id,
			via: "apiToken",
			tokenId: token.id,
			action: "dataset.createProject",
			resourceType: "project",
			resourceId: project.body.id,
		});
	});

	it("records refused requests too: 401, 403, 404 and 422", async () => {
		const carol = await signUp();
		await api().post("/api/v1/datasets").set("X-Request-ID", "activity-refused-401").send(DATASET).expect(401);
		await api()
			.patch(`/api/v1/users/${carol.id}`)
			.set("Authorization", carol.auth)
			.set("X-Request-ID", "activity-refused-403")
			.send({ name: "Carol" })
			.expect(403);
		await api()
			.delete("/api/v1/datasets/no-such-dataset")
			.set("Authorization", carol.auth)
			.set("X-Request-ID", "activity-refused-404")
			.expect(404);
		await api()
			.post("/api/v1/datasets")
			.set("Authorization", carol.auth)
			.set("X-Request-ID", "activity-refused-422")
			.send({ name: "" })
			.expect(422);

		expect(await entryFor("activity-refused-401", admin.auth)).toMatchObject({
			userId: null,
			via: null,
			action: "dataset.createDataset",
			resourceType: "dataset",
			resourceId: null,
			status: 401,
		});
		expect(await entryFor("activity-refused-403", admin.auth)).toMatchObject({
			userId: carol.id,
			action: "auth.updateUser",
			route: "/api/v1/users/:id",
			resourceType: "user",
			resourceId: carol.id,
			status: 403,
		});
		expect(await entryFor("activity-refused-404", admin.auth)).toMatchObject({
			userId: carol.id,
			resourceType: "dataset",
			resourceId: "no-such-dataset",
			status: 404,
		});
		expect(await entryFor("activity-refused-422", admin.auth)).toMatchObject({ userId: carol.id, status: 422 });
		// the anonymous attempt is nobody's: only superusers see it
		const own = await entriesOf(carol.auth, "pageSize=100");
		expect(own.items.map((entry) => entry.requestId)).not.toContain("activity-refused-401");
		expect(own.items.map((entry) => entry.requestId)).toEqual(
			expect.arrayContaining(["activity-refused-403", "activity-refused-404", "activity-refused-422"]),
		);
	});

	it("does not record reads, nor bodies refused before any route's action", async () => {
		const dave = await signUp();
		await api().get("/api/v1/datasets").set("Authorization", dave.auth).set("X-Request-ID", "activity-read-1").expect(200);
		await api().get("/api/v1/auth/me").set("Authorization", dave.auth).set("X-Request-ID", "activity-read-2").expect(200);
		// refused before any route's action: a body the JSON parser cannot read
		await api()
			.post("/api/v1/datasets")
			.set("Authorization", dave.auth)
			.set("Content-Type", "application/json")
			.set("X-Request-ID", "activity-badjson-1")
			.send("{not json")
			.expect(400);
		// a write after the reads: once it is there, the reads would be too
		await api()
			.patch("/api/v1/auth/me")
			.set("Authorization", dave.auth)
			.set("X-Request-ID", "activity-write-1")
			.send({ name: "Dave" })
			.expect(200);
		expect(await entryFor("activity-write-1", dave.auth, "/api/v1/activity")).toMatchObject({
			action: "auth.updateMe",
			resourceType: "user",
			resourceId: dave.id,
		});
		const all = await entriesOf(admin.auth, "pageSize=100", "/api/v1/admin/activity");
		expect(all.items.map((entry) => entry.requestId)).not.toEqual(expect.arrayContaining(["activity-read-1"]));
		expect(all.items.map((entry) => entry.requestId)).not.toEqual(expect.arrayContaining(["activity-read-2"]));
		expect(all.items.map((entry) => entry.requestId)).not.toEqual(expect.arrayContaining(["activity-badjson-1"]));
		expect(all.items.every((entry) => entry.method !== "GET")).toBe(true);
	});

	it("shows owners only their own entries", async () => {
		const erin = await signUp();
		const frank = await signUp();
		const dataset = (await api().post("/api/v1/datasets").set("Authorization", erin.auth).send(DATASET).expect(201)).body;
		await waitUntil(async () => (await entriesOf(erin.auth, `resourceId=${dataset.id}`)).total === 1, 5000, "erin's entry");
		const franks = await entriesOf(frank.auth, "pageSize=100");
		expect(franks.items.length).toBeGreaterThan(0);
		expect(franks.items.every((entry) => entry.userId === frank.id)).toBe(true);
		// filters cannot reach past the owner: erin's resource, asked for by frank, is not there
		expect(await entriesOf(frank.auth, `resourceId=${dataset.id}`)).toMatchObject({ items: [], total: 0 });
		// nor can a userId parameter on the own list
		await api().get(`/api/v1/activity?userId=${erin.id}`).set("Authorization", frank.auth).expect(422);
	});

	it("filters by action, resource and period, pages, and lists newest first", async () => {
		const gina = await signUp();
		const ids: string[] = [];
		for (let n = 0; n < 3; n++) {
			ids.push(
				(
					await api()
						.post("/api/v1/datasets")
						.set("Authorization", gina.auth)
						.send({ ...DATASET, name: `set ${n}` })
						.expect(201)
				).body.id,
			);
		}
		// the clocks of the answer and of this test are the same; a pause on each side keeps them apart
		await new Promise((resolve) => setTimeout(resolve, 50));
		const between = new Date().toISOString();
		await new Promise((resolve) => setTimeout(resolve, 50));
		await api().patch(`/api/v1/datasets/${ids[0]}`).set("Authorization", gina.auth).send({ description: "changed" }).expect(200);
		await waitUntil(async () => (await entriesOf(gina.auth, "action=dataset.updateDataset")).total === 1, 5000, "the update's entry");

		const creations = await entriesOf(gina.auth, "action=dataset.createDataset");
		expect(creations.total).toBe(3);
		expect(creations.items.map((entry) => entry.resourceId)).toEqual([...ids].reverse());
		const times = creations.items.map((entry) => Date.parse(entry.at));
		expect([...times].sort((a, b) => b - a)).toEqual(times);

		expect((await entriesOf(gina.auth, `resourceType=dataset&resourceId=${ids[0]}`)).items.map((entry) => entry.action)).toEqual([
			"dataset.updateDataset",
			"dataset.createDataset",
		]);
		expect((await entriesOf(gina.auth, `from=${encodeURIComponent(between)}`)).items.map((entry) => entry.action)).toEqual([
			"dataset.updateDataset",
		]);
		expect((await entriesOf(gina.auth, `to=${encodeURIComponent(between)}&resourceType=dataset`)).total).toBe(3);
		const page = await entriesOf(gina.auth, "resourceType=dataset&page=2&pageSize=2");
		expect(page).toMatchObject({ total: 4, page: 2, pageSize: 2 });
		expect(page.items).toHaveLength(2);
	});

	it("refuses invalid filters with 422", async () => {
		const hank = await signUp();
		for (const query of [
			"from=not-a-time",
			"to=yesterday-ish",
			`from=${encodeURIComponent("2026-02-01T00:00:00Z")}&to=${encodeURIComponent("2026-01-01T00:00:00Z")}`,
			"pageSize=101",
			"page=0",
			"resourceType=",
			"unknown=1",
		]) {
			const res = await api().get(`/api/v1/activity?${query}`).set("Authorization", hank.auth);
			expect([query, res.status, res.headers["content-type"]]).toEqual([query, 422, expect.stringContaining("application/problem+json")]);
		}
		const bad = await api()
			.get(`/api/v1/admin/activity?userId=${"x".repeat(65)}`)
			.set("Authorization", admin.auth)
			.expect(422);
		expect(bad.body.errors[0].field).toBe("userId");
	});

	it("lists every user's entries to superusers, filtered by user, action, resource and period; 403 for users", async () => {
		const ivy = await signUp();
		const jack = await signUp();
		const dataset = (await api().post("/api/v1/datasets").set("Authorization", ivy.auth).send(DATASET).expect(201)).body;
		await api().post("/api/v1/projects").set("Authorization", jack.auth).send({ name: "jack's" }).expect(201);
		await waitUntil(
			async () => (await entriesOf(admin.auth, `userId=${jack.id}&action=dataset.createProject`, "/api/v1/admin/activity")).total === 1,
			5000,
			"jack's entry",
		);
		const everyone = await entriesOf(admin.auth, "pageSize=100", "/api/v1/admin/activity");
		expect(everyone.items.map((entry) => entry.userId)).toEqual(expect.arrayContaining([ivy.id, jack.id]));

		const ivys = await entriesOf(admin.auth, `userId=${ivy.id}&resourceType=dataset`, "/api/v1/admin/activity");
		expect(ivys.items.map((entry) => [entry.userId, entry.resourceId])).toEqual([[ivy.id, dataset.id]]);
		const byResource = await entriesOf(admin.auth, `resourceId=${dataset.id}`, "/api/v1/admin/activity");
		expect(byResource.items.map((entry) => entry.action)).toEqual(["dataset.createDataset"]);
		const future = new Date(Date.now() + 3_600_000).toISOString();
		expect((await entriesOf(admin.auth, `from=${encodeURIComponent(future)}`, "/api/v1/admin/activity")).total).toBe(0);

		const refused = await api().get("/api/v1/admin/activity").set("Authorization", ivy.auth).expect(403);
		expect(refused.headers["content-type"]).toContain("application/problem+json");
		await api().get("/api/v1/admin/activity").expect(401);
		await api().get("/api/v1/activity").expect(401);
	});

	it("stores no password, token or secret: sign-up, sign-in, refresh, password change, token creation and sign-out", async () => {
		const kim = await signUp();
		const refreshed = (await api().post("/api/v1/auth/refresh").send({ refreshToken: kim.refreshToken }).expect(200)).body;
		issued.push(refreshed.accessToken, refreshed.refreshToken);
		const token = (
			await api()
				.post("/api/v1/tokens")
				.set("Authorization", kim.auth)
				.send({ name: "laptop", scopes: ["datasets:read"] })
				.expect(201)
		).body;
		issued.push(token.token);
		await api()
			.post("/api/v1/auth/password")
			.set("Authorization", kim.auth)
			.set("X-Request-ID", "activity-password-1")
			.send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
			.expect(204);
		// a wrong password too: the refused attempt is recorded, not what was typed
		await api().post("/api/v1/auth/login").send({ email: kim.email, password: "wrong password, recorded nowhere" }).expect(401);
		await api()
			.post("/api/v1/auth/logout")
			.set("X-Request-ID", "activity-logout-1")
			.send({ refreshToken: refreshed.refreshToken })
			.expect(204);
		await entryFor("activity-password-1", admin.auth);
		// sign-out needs no session: the refresh token names the account, and the entry names it too
		expect(await entryFor("activity-logout-1", admin.auth)).toMatchObject({ userId: kim.id, action: "auth.logout", status: 204 });

		const repository = gateway.broker.getLocalService(ACTIVITY_SERVICE) as unknown as ActivityRepository;
		const stored = JSON.stringify(await repository.adapter.find({}));
		expect(stored).toContain(kim.id);
		for (const secret of [PASSWORD, NEW_PASSWORD, "wrong password, recorded nowhere", ...issued]) {
			expect(stored.includes(secret)).toBe(false);
		}
		expect(stored).not.toMatch(/pxc_[0-9A-Za-z]{10}/);
		expect(stored).not.toMatch(/eyJ[0-9A-Za-z_-]{10}/);
		// nothing but the documented fields (and the store's own) is kept
		const keys = new Set((await repository.adapter.find({})).flatMap((document) => Object.keys(document)));
		expect([...keys].sort()).toEqual([...ACTIVITY_FIELDS.filter((field) => field !== "id"), "_id", "createdAt", "updatedAt"].sort());
	});

	it("prunes entries older than AUTH_ACTIVITY_RETENTION_DAYS, keeping the recent ones", async () => {
		const lena = await signUp();
		const entry = (daysAgo: number, requestId: string) => ({
			at: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
			userId: lena.id,
			via: "jwt",
			tokenId: null,
			action: "dataset.createProject",
			method: "POST",
			route: "/api/v1/projects",
			resourceType: "project",
			resourceId: null,
			status: 201,
			requestId,
			clientAddress: "127.0.0.1",
		});
		await gateway.broker.call(`${ACTIVITY_SERVICE}.recordMany`, {
			entries: [entry(31, "activity-old-1"), entry(45, "activity-old-2"), entry(29, "activity-recent-1")],
		});
		const before = (await entriesOf(lena.auth, "action=dataset.createProject")).items.map((item) => item.requestId);
		expect(before).toEqual(["activity-recent-1", "activity-old-1", "activity-old-2"]);
		const pruned = await gateway.broker.call<{ removed: number }>(`${ACTIVITY_SERVICE}.prune`);
		expect(pruned.removed).toBeGreaterThanOrEqual(2);
		expect((await entriesOf(lena.auth, "action=dataset.createProject")).items.map((item) => item.requestId)).toEqual(["activity-recent-1"]);
	});

	it("refuses malformed entries from the bus, so nothing but the documented fields is stored", async () => {
		const valid = {
			at: new Date().toISOString(),
			userId: null,
			via: null,
			tokenId: null,
			action: "auth.login",
			method: "POST",
			route: "/api/v1/auth/login",
			resourceType: "user",
			resourceId: null,
			status: 401,
			requestId: "activity-bus-1",
			clientAddress: "127.0.0.1",
		};
		await expect(
			gateway.broker.call(`${ACTIVITY_SERVICE}.recordMany`, { entries: [{ ...valid, body: { password: PASSWORD } }] }),
		).rejects.toMatchObject({ code: 422 });
		await expect(gateway.broker.call(`${ACTIVITY_SERVICE}.recordMany`, { entries: [{ ...valid, method: "GET" }] })).rejects.toMatchObject({
			code: 422,
		});
	});
});
