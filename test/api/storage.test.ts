import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import request from "supertest";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size: number) => Buffer.concat([PNG_HEADER, Buffer.alloc(size - PNG_HEADER.length, 7)]);

describe("storage over the gateway (local driver)", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-storage-"));
	const env = { PIXCRAWLER_DATA_DIR: dataDir, STORAGE_QUOTA_BYTES_PER_USER: "5000" };
	let gateway: RunningGateway;

	beforeAll(async () => {
		gateway = await startGateway({
			env,
			services: [createStorageService(testConfig(env))],
			waitFor: ["storage.download", "storage.usage"],
		});
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const put = (key: string, ownerId: string, bytes: Buffer | Readable, size?: number) =>
		gateway.broker.call<Record<string, unknown>, Record<string, never>>(
			"storage.put",
			{},
			{ stream: bytes instanceof Readable ? bytes : Readable.from([bytes]), meta: { key, ownerId, size } },
		);
	const signUrl = (key: string, ttlSeconds?: number) =>
		gateway.broker.call<{ url: string; expiresAt: string }, { key: string; ttlSeconds?: number }>("storage.signUrl", { key, ttlSeconds });
	const usageOf = async (ownerId: string) =>
		(
			await request(gateway.url)
				.get("/api/v1/storage/usage")
				.set("Authorization", `Bearer ${await gateway.tokenFor(ownerId)}`)
				.expect(200)
		).body;

	it("stores a stream, records its size, hash and sniffed type, and counts it once when stored again", async () => {
		const record = await put("datasets/d1/aaaa.png", "owner-a", png(1000));
		expect(record).toMatchObject({
			key: "datasets/d1/aaaa.png",
			ownerId: "owner-a",
			bytes: 1000,
			contentType: "image/png",
			sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
		});
		const again = await put("datasets/d1/aaaa.png", "owner-a", png(1000));
		expect(again.id).toBe(record.id);
		expect(await usageOf("owner-a")).toMatchObject({ bytes: 1000, objects: 1, quotaBytes: 5000, remainingBytes: 4000 });
	});

	it("serves a signed link with the sniffed type, nosniff and a sandboxing CSP", async () => {
		await put("datasets/d1/bbbb.png", "owner-a", png(300));
		const { url } = await signUrl("datasets/d1/bbbb.png");
		expect(url).toMatch(/^\/api\/v1\/files\//);
		const res = await request(gateway.url).get(url).buffer(true).expect(200);
		expect(res.headers["content-type"]).toBe("image/png");
		expect(res.headers["x-content-type-options"]).toBe("nosniff");
		expect(res.headers["content-security-policy"]).toContain("sandbox");
		expect(Buffer.from(res.body).equals(png(300))).toBe(true);
	});

	it("refuses tampered and expired links with 403", async () => {
		await put("datasets/d1/cccc.png", "owner-a", png(100));
		const { url } = await signUrl("datasets/d1/cccc.png");
		const [payload, signature] = url.split("/").pop()?.split(".") ?? [];
		const forged = Buffer.from(JSON.stringify({ key: "datasets/d1/aaaa.png", exp: 4102444800 })).toString("base64url");
		await request(gateway.url).get(`/api/v1/files/${forged}.${signature}`).expect(403);
		await request(gateway.url)
			.get(`/api/v1/files/${payload}.${signature.slice(1)}x`)
			.expect(403);
		const short = await signUrl("datasets/d1/cccc.png", 1);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const expired = await request(gateway.url).get(short.url).expect(403);
		expect(expired.body.detail).toBe("This link has expired");
	});

	it("refuses a write beyond the quota and leaves nothing behind", async () => {
		await put("datasets/q/one.png", "owner-q", png(3000));
		await expect(put("datasets/q/two.png", "owner-q", png(3000))).rejects.toMatchObject({ code: 403 });
		await expect(put("datasets/q/three.png", "owner-q", png(100), 2500)).rejects.toMatchObject({ code: 403 });
		expect(await gateway.broker.call("storage.head", { key: "datasets/q/two.png" })).toBeNull();
		expect(fs.existsSync(path.join(dataDir, "storage", "datasets", "q", "two.png"))).toBe(false);
		expect(fs.readdirSync(path.join(dataDir, "storage", ".incoming"))).toEqual([]);
		expect(await usageOf("owner-q")).toMatchObject({ bytes: 3000, objects: 1 });
	});

	it("frees quota when objects are removed, alone or by prefix", async () => {
		await put("datasets/r/one.png", "owner-r", png(500));
		await put("datasets/r/two.png", "owner-r", png(700));
		await put("datasets/rr/three.png", "owner-r", png(900));
		await gateway.broker.call("storage.delete", { key: "datasets/r/one.png", ownerId: "owner-r" });
		expect(await usageOf("owner-r")).toMatchObject({ bytes: 1600, objects: 2 });
		expect(await gateway.broker.call("storage.removePrefix", { prefix: "datasets/r/", ownerId: "owner-r" })).toEqual({ removed: 1 });
		expect(await usageOf("owner-r")).toMatchObject({ bytes: 900, objects: 1 });
		await expect(gateway.broker.call("storage.delete", { key: "datasets/rr/three.png", ownerId: "someone-else" })).rejects.toMatchObject({
			code: 404,
		});
	});

	it("refuses unsafe keys", async () => {
		await expect(put("../escape.png", "owner-a", png(100))).rejects.toMatchObject({ code: 422 });
		await expect(gateway.broker.call("storage.signUrl", { key: "datasets/../../etc/passwd" })).rejects.toMatchObject({ code: 422 });
	});

	it("shows totals and the largest users to superusers only", async () => {
		const overview = await request(gateway.url)
			.get("/api/v1/admin/storage")
			.set("Authorization", `Bearer ${await gateway.tokenFor("admin-1", "superuser")}`)
			.expect(200);
		expect(overview.body).toMatchObject({ bytes: expect.any(Number), objects: expect.any(Number), users: expect.any(Number) });
		expect(overview.body.largestUsers[0]).toMatchObject({ userId: expect.any(String), bytes: expect.any(Number) });
		await request(gateway.url)
			.get("/api/v1/admin/storage")
			.set("Authorization", `Bearer ${await gateway.tokenFor("owner-a")}`)
			.expect(403);
		await request(gateway.url).get("/api/v1/storage/usage").expect(401);
	});

	it("reports its store in readiness", async () => {
		const res = await request(gateway.url).get("/health/ready").expect(200);
		expect(res.body.components).toEqual(expect.arrayContaining([{ name: "storage.store", status: "up" }]));
	});
});
