import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import request from "supertest";
import { toProblem } from "../../lib/http/problem";
import { addStoredImage } from "../support/dataset-images";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, waitUntil } from "../support/gateway";
import { startPlatform } from "../support/platform";

/**
 * Plan limits over HTTP: each limit reached answers the documented status with a problem body naming
 * the limit, its maximum, the use and (for limits that reset) when; builds stop adding images at the
 * daily and storage limits and say so on the job; GET /auth/me shows limits and usage; a superuser's
 * override changes what is enforced, and null returns a limit to its default.
 */

jest.setTimeout(90000);

const PASSWORD = "correct horse battery staple";
const LIMITS = {
	CRAWL_MAX_CONCURRENT_JOBS_PER_USER: "1",
	DATASET_MAX_PER_USER: "2",
	DATASET_MAX_IMAGES_PER_USER_PER_DAY: "3",
	STORAGE_QUOTA_BYTES_PER_USER: "1000000",
	RATE_LIMIT_API_TOKEN_PER_MINUTE: "5",
};
const DEFAULT_LIMITS = { concurrentJobs: 1, imagesPerDay: 3, datasets: 2, storageBytes: 1000000, apiRequestsPerMinute: 5 };
/** The services trust what they learnt of a user's limits for 5 s: an override shows within this. */
const OVERRIDE_WINDOW_MS = 8000;

const nextUtcMidnight = () => {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
};

describe("plan limits", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-limits-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let admin: string;
	let counter = 0;
	const api = () => request(gateway.url);

	async function signUp() {
		counter += 1;
		const email = `limits-${counter}-${Date.now()}@example.com`;
		const user = (await api().post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Ada" }).expect(201)).body;
		const tokens = (await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200)).body;
		return { id: user.id as string, auth: `Bearer ${tokens.accessToken}` };
	}

	const me = async (auth: string) => (await api().get("/api/v1/auth/me").set("Authorization", auth).expect(200)).body;
	const urls = (numbers: number[]) => numbers.map((n) => `${web.url}/img/cat/${n}.jpg`);
	const dataset = (name: string, imageUrls: string[]) => ({
		name,
		categories: [{ label: "cat", urls: imageUrls }],
		sources: ["urls"],
		options: { minWidth: 16, minHeight: 16 },
	});
	const createDataset = async (auth: string, name: string, imageUrls = urls([10])) =>
		(await api().post("/api/v1/datasets").set("Authorization", auth).send(dataset(name, imageUrls)).expect(201)).body.id as string;

	async function buildAndWait(auth: string, datasetId: string) {
		const started = (await api().post(`/api/v1/datasets/${datasetId}/build`).set("Authorization", auth).expect(202)).body;
		let job: Record<string, unknown> = started;
		await waitUntil(
			async () => {
				job = (await api().get(`/api/v1/jobs/${started.jobId}`).set("Authorization", auth).expect(200)).body;
				return ["done", "failed", "cancelled"].includes(String(job.status));
			},
			60000,
			"the build",
		);
		return job;
	}

	function expectProblem(res: request.Response, status: number, limit: Record<string, unknown>) {
		expect(res.status).toBe(status);
		expect(res.headers["content-type"]).toContain("application/problem+json");
		expect(res.body).toMatchObject({
			type: `https://pixcrawler.dev/problems/${status === 403 ? "forbidden" : "rate-limited"}`,
			status,
			detail: expect.any(String),
			requestId: expect.any(String),
			...limit,
		});
	}

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 40 });
		gateway = await startPlatform({
			env: { PIXCRAWLER_DATA_DIR: dataDir, RATE_LIMIT_AUTH: "10000", ...LIMITS, ...web.env() },
			waitFor: ["auth.me", "auth.updateUserLimits", "dataset.createDataset", "crawl.build", "storage.usage"],
		});
		const root = await signUp();
		await (
			gateway.broker.getLocalService("auth") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
		).updateInternal(root.id, { role: "superuser" });
		admin = root.auth;
	});
	afterAll(async () => {
		await gateway?.stop();
		await web?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("GET /auth/me shows the limits that apply and the usage against each", async () => {
		const ada = await signUp();
		const fresh = await me(ada.auth);
		expect(fresh.limits).toEqual(DEFAULT_LIMITS);
		expect(fresh.usage).toEqual({
			concurrentJobs: 0,
			imagesPerDay: 0,
			imagesPerDayResetsAt: nextUtcMidnight(),
			datasets: 0,
			storageBytes: 0,
		});
		expect(fresh).toMatchObject({ id: ada.id, role: "user" });
		expect(fresh).not.toHaveProperty("limitOverrides");

		const id = await createDataset(ada.auth, "counted");
		await addStoredImage(gateway.broker, ada.id, id, Buffer.alloc(700, 1));
		await addStoredImage(gateway.broker, ada.id, id, Buffer.alloc(300, 2));
		const storage = (await api().get("/api/v1/storage/usage").set("Authorization", ada.auth).expect(200)).body;
		expect(storage).toMatchObject({ bytes: 1000, objects: 2, quotaBytes: 1000000 });
		expect((await me(ada.auth)).usage).toEqual({
			concurrentJobs: 0,
			imagesPerDay: 2,
			imagesPerDayResetsAt: nextUtcMidnight(),
			datasets: 1,
			storageBytes: 1000,
		});
	});

	it("datasets: beyond the limit 403 names it, with the maximum and the use; deleting one makes room", async () => {
		const bea = await signUp();
		const first = await createDataset(bea.auth, "one");
		await createDataset(bea.auth, "two");
		const refused = await api()
			.post("/api/v1/datasets")
			.set("Authorization", bea.auth)
			.send(dataset("three", urls([10])));
		expectProblem(refused, 403, { limit: "datasets", max: 2, used: 2 });
		expect(refused.body).not.toHaveProperty("resetsAt");
		expect(refused.body.detail).toMatch(/2 datasets/);
		expect((await me(bea.auth)).usage.datasets).toBe(2);

		await api().delete(`/api/v1/datasets/${first}`).set("Authorization", bea.auth).expect(204);
		await createDataset(bea.auth, "three");
	});

	it("concurrentJobs: a build beyond the limit gets 429 with Retry-After, naming the limit", async () => {
		const cal = await signUp();
		const slow = await createDataset(cal.auth, "slow", [`${web.url}/slow/headers/4000/limits.jpg`]);
		const other = await createDataset(cal.auth, "other");
		const running = (await api().post(`/api/v1/datasets/${slow}/build`).set("Authorization", cal.auth).expect(202)).body;
		expect((await me(cal.auth)).usage.concurrentJobs).toBe(1);
		const refused = await api().post(`/api/v1/datasets/${other}/build`).set("Authorization", cal.auth);
		expectProblem(refused, 429, { limit: "concurrentJobs", max: 1, used: 1, retryAfter: 30 });
		expect(refused.headers["retry-after"]).toBe("30");
		await api().post(`/api/v1/jobs/${running.jobId}/cancel`).set("Authorization", cal.auth).expect(200);
		expect((await me(cal.auth)).usage.concurrentJobs).toBe(0);
		const next = (await api().post(`/api/v1/datasets/${other}/build`).set("Authorization", cal.auth).expect(202)).body;
		expect(next.jobId).toEqual(expect.any(String));
	});

	it("imagesPerDay: a build stops adding images at the day's limit and says so on the job; the next build gets 429 until the reset", async () => {
		const dan = await signUp();
		const id = await createDataset(dan.auth, "six cats", urls([10, 11, 12, 13, 15, 16]));
		const job = await buildAndWait(dan.auth, id);
		const resetsAt = nextUtcMidnight();
		expect(job).toMatchObject({
			status: "done",
			error: null,
			counts: { cat: 3 },
			limitReached: { limit: "imagesPerDay", max: 3, used: 3, resetsAt },
		});
		const images = (await api().get(`/api/v1/datasets/${id}/images?status=valid`).set("Authorization", dan.auth).expect(200)).body;
		expect(images.total).toBe(3);
		// the image refused at the limit kept no file
		expect((await api().get("/api/v1/storage/usage").set("Authorization", dan.auth).expect(200)).body.objects).toBe(3);
		const logs = (await api().get(`/api/v1/jobs/${job.id}/logs?pageSize=100`).set("Authorization", dan.auth).expect(200)).body;
		expect(logs.items.map((entry: { message: string }) => entry.message)).toContain(
			`the imagesPerDay plan limit (3) was reached, so the build stopped adding images; it resets at ${resetsAt}`,
		);
		const tasks = (await api().get(`/api/v1/jobs/${job.id}/tasks?pageSize=100`).set("Authorization", dan.auth).expect(200)).body;
		expect(tasks.items.filter((task: { status: string }) => ["failed", "dead"].includes(task.status))).toEqual([]);
		expect((await me(dan.auth)).usage.imagesPerDay).toBe(3);

		const refused = await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", dan.auth);
		expectProblem(refused, 429, { limit: "imagesPerDay", max: 3, used: 3, resetsAt });
		const retryAfter = Number(refused.headers["retry-after"]);
		const untilReset = (Date.parse(resetsAt) - Date.now()) / 1000;
		expect(retryAfter).toBe(refused.body.retryAfter);
		expect(Math.abs(retryAfter - untilReset)).toBeLessThan(5);

		// the count is the owner's, across datasets: an image added anywhere is refused the same way
		const other = await createDataset(dan.auth, "elsewhere");
		const error = await addStoredImage(gateway.broker, dan.id, other, Buffer.alloc(500, 3)).catch((thrown: unknown) => thrown);
		expect(error).toMatchObject({ code: 429, data: { limit: "imagesPerDay", max: 3, used: 3, resetsAt } });
	});

	it("storageBytes: a write beyond the user's quota is refused with 403 naming it, and a build stops at it", async () => {
		const eve = await signUp();
		await api().patch(`/api/v1/admin/users/${eve.id}/limits`).set("Authorization", admin).send({ storageBytes: 1200 }).expect(200);
		const id = await createDataset(eve.auth, "tight");
		await addStoredImage(gateway.broker, eve.id, id, Buffer.alloc(1000, 4));
		const refused = await gateway.broker
			.call("storage.put", {}, { stream: Readable.from([Buffer.alloc(300, 5)]), meta: { key: `datasets/${id}/over.bin`, ownerId: eve.id } })
			.catch((thrown: unknown) => thrown);
		expect(refused).toMatchObject({ code: 403, data: { limit: "storageBytes", max: 1200, used: 1000 } });
		// what the gateway answers for it
		expect(toProblem(refused, "req-1")).toMatchObject({ status: 403, limit: "storageBytes", max: 1200, used: 1000 });
		expect((await api().get("/api/v1/storage/usage").set("Authorization", eve.auth).expect(200)).body).toMatchObject({
			bytes: 1000,
			quotaBytes: 1200,
			remainingBytes: 200,
		});

		const built = await createDataset(eve.auth, "no room", urls([20, 21]));
		const job = await buildAndWait(eve.auth, built);
		expect(job).toMatchObject({ status: "failed", limitReached: { limit: "storageBytes", max: 1200, used: 1000 } });
		expect(job.error).toMatch(/^No image was kept: the storageBytes plan limit \(1200\) was reached/);
		expect((await me(eve.auth)).usage.storageBytes).toBe(1000);
	});

	it("apiRequestsPerMinute: an API token past its budget gets 429 naming the limit and when it resets; sessions and other tokens go on", async () => {
		const fay = await signUp();
		const tokenFor = async (name: string) =>
			(
				await api()
					.post("/api/v1/tokens")
					.set("Authorization", fay.auth)
					.send({ name, scopes: ["datasets:read"] })
					.expect(201)
			).body.token as string;
		const token = await tokenFor("script");
		const remaining: string[] = [];
		for (let n = 0; n < 5; n++) {
			const res = await api().get("/api/v1/datasets").set("Authorization", `Bearer ${token}`).expect(200);
			expect(res.headers["ratelimit-limit"]).toBe("5");
			remaining.push(res.headers["ratelimit-remaining"]);
		}
		expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
		const before = Date.now();
		const refused = await api().get("/api/v1/datasets").set("Authorization", `Bearer ${token}`);
		expectProblem(refused, 429, { limit: "apiRequestsPerMinute", max: 5, used: 6 });
		const retryAfter = Number(refused.headers["retry-after"]);
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		const resetsAt = Date.parse(refused.body.resetsAt);
		expect(resetsAt).toBeGreaterThan(before);
		expect(resetsAt).toBeLessThanOrEqual(Date.now() + 61_000);

		await api().get("/api/v1/datasets").set("Authorization", fay.auth).expect(200);
		await api()
			.get("/api/v1/datasets")
			.set("Authorization", `Bearer ${await tokenFor("another")}`)
			.expect(200);
	});

	it("superuser overrides: GET and PATCH /admin/users/:id/limits change what is enforced; null returns to the default", async () => {
		const gus = await signUp();
		const initial = (await api().get(`/api/v1/admin/users/${gus.id}/limits`).set("Authorization", admin).expect(200)).body;
		expect(initial).toEqual({
			userId: gus.id,
			limits: DEFAULT_LIMITS,
			overrides: {},
			defaults: DEFAULT_LIMITS,
			usage: { concurrentJobs: 0, imagesPerDay: 0, imagesPerDayResetsAt: nextUtcMidnight(), datasets: 0, storageBytes: 0 },
		});
		await createDataset(gus.auth, "one");
		await createDataset(gus.auth, "two");
		await api()
			.post("/api/v1/datasets")
			.set("Authorization", gus.auth)
			.send(dataset("three", urls([10])))
			.expect(403);

		const raised = (
			await api()
				.patch(`/api/v1/admin/users/${gus.id}/limits`)
				.set("Authorization", admin)
				.send({ datasets: 3, apiRequestsPerMinute: 0, concurrentJobs: 4 })
				.expect(200)
		).body;
		expect(raised).toMatchObject({
			limits: { ...DEFAULT_LIMITS, datasets: 3, apiRequestsPerMinute: null, concurrentJobs: 4 },
			overrides: { datasets: 3, apiRequestsPerMinute: 0, concurrentJobs: 4 },
			defaults: DEFAULT_LIMITS,
			usage: { datasets: 2 },
		});
		expect((await me(gus.auth)).limits).toEqual({ ...DEFAULT_LIMITS, datasets: 3, apiRequestsPerMinute: null, concurrentJobs: 4 });
		// the dataset service applies it within its cache window
		await waitUntil(
			async () =>
				(
					await api()
						.post("/api/v1/datasets")
						.set("Authorization", gus.auth)
						.send(dataset("three", urls([10])))
				).status === 201,
			OVERRIDE_WINDOW_MS,
			"the raised dataset limit",
		);
		const fourth = await api()
			.post("/api/v1/datasets")
			.set("Authorization", gus.auth)
			.send(dataset("four", urls([10])));
		expectProblem(fourth, 403, { limit: "datasets", max: 3, used: 3 });
		// no per-token budget any more: a new token goes past the default 5
		const token = (
			await api()
				.post("/api/v1/tokens")
				.set("Authorization", gus.auth)
				.send({ name: "bulk", scopes: ["datasets:read"] })
				.expect(201)
		).body.token;
		for (let n = 0; n < 7; n++) await api().get("/api/v1/datasets").set("Authorization", `Bearer ${token}`).expect(200);

		// null: back to the default; the other overrides stay
		const reset = (
			await api().patch(`/api/v1/admin/users/${gus.id}/limits`).set("Authorization", admin).send({ datasets: null }).expect(200)
		).body;
		expect(reset.overrides).toEqual({ apiRequestsPerMinute: 0, concurrentJobs: 4 });
		expect(reset.limits.datasets).toBe(2);
		expect((await api().get(`/api/v1/admin/users/${gus.id}/limits`).set("Authorization", admin).expect(200)).body).toEqual(reset);
		await waitUntil(
			async () =>
				(
					await api()
						.post("/api/v1/datasets")
						.set("Authorization", gus.auth)
						.send(dataset("five", urls([10])))
				).status === 403,
			OVERRIDE_WINDOW_MS,
			"the default dataset limit again",
		);
	});

	it("refuses invalid overrides (422), users (403) and unknown users (404)", async () => {
		const hal = await signUp();
		for (const body of [
			{ datasets: -1 },
			{ concurrentJobs: 0 },
			{ concurrentJobs: 101 },
			{ datasets: 1.5 },
			{ datasets: "5" },
			{ bogus: 1 },
		]) {
			const res = await api().patch(`/api/v1/admin/users/${hal.id}/limits`).set("Authorization", admin).send(body);
			expect([body, res.status, res.headers["content-type"]]).toEqual([body, 422, expect.stringContaining("application/problem+json")]);
		}
		expect((await api().get(`/api/v1/admin/users/${hal.id}/limits`).set("Authorization", admin).expect(200)).body.overrides).toEqual({});
		await api().get(`/api/v1/admin/users/${hal.id}/limits`).set("Authorization", hal.auth).expect(403);
		await api().patch(`/api/v1/admin/users/${hal.id}/limits`).set("Authorization", hal.auth).send({ datasets: 100 }).expect(403);
		await api().get("/api/v1/admin/users/no-such-user/limits").set("Authorization", admin).expect(404);
		await api().patch("/api/v1/admin/users/no-such-user/limits").set("Authorization", admin).send({ datasets: 5 }).expect(404);
		expect((await me(hal.auth)).limits).toEqual(DEFAULT_LIMITS);
	});
});
