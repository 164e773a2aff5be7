import { loadConfig } from "../../lib/config";
import { dependenciesOf, preflight } from "../../lib/preflight";
import { freePort } from "../support/processes";
import { S3RVER_CREDENTIALS, type S3TestServer, startS3Server } from "../support/s3-server";

jest.setTimeout(20000);

/** The machine's NATS and Redis, which CI starts when they are down. */
const MACHINE = { TRANSPORTER: "nats://127.0.0.1:4222", REDIS_URL: "redis://127.0.0.1:6379" };
const configWith = (env: Record<string, string>) => loadConfig({ PIXCRAWLER_ENV: "test", ...env });

describe("start-up checks against real servers", () => {
	let s3: S3TestServer;
	let deadPort: number;

	beforeAll(async () => {
		s3 = await startS3Server("preflight-bucket");
		deadPort = await freePort();
	});
	afterAll(async () => {
		await s3.stop();
	});

	const s3Env = (bucket: string) => ({
		STORAGE_DRIVER: "s3",
		STORAGE_S3_ENDPOINT: s3.endpoint,
		STORAGE_S3_BUCKET: bucket,
		STORAGE_S3_FORCE_PATH_STYLE: "true",
		STORAGE_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
		STORAGE_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
	});

	it("passes when NATS, Redis and the S3 bucket answer", async () => {
		const dependencies = dependenciesOf(configWith({ ...MACHINE, ...s3Env("preflight-bucket") }));
		expect(dependencies.map((dependency) => dependency.name)).toEqual(["NATS transporter", "Redis", "S3 storage"]);
		await expect(preflight(dependencies, { timeoutMs: 5000 })).resolves.toBeUndefined();
	});

	it.each([
		["NATS transporter", () => ({ TRANSPORTER: `nats://127.0.0.1:${deadPort}` })],
		["Redis", () => ({ REDIS_URL: `redis://127.0.0.1:${deadPort}` })],
		["MongoDB", () => ({ MONGO_URI: `mongodb://127.0.0.1:${deadPort}/pixcrawler` })],
		["S3 storage", () => s3Env("no-such-bucket")],
	])("names %s when it does not answer", async (name, env) => {
		const started = Date.now();
		const error = await preflight(dependenciesOf(configWith(env())), { timeoutMs: 1500 }).catch((caught: unknown) => caught);
		expect((error as Error).message).toMatch(new RegExp(`^${name} at \\S+ did not answer within 1500 ms \\(.+\\); check `));
		expect((error as Error).message).not.toContain("\n");
		expect(Date.now() - started).toBeLessThan(8000);
	});
});
