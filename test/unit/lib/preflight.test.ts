import { loadConfig } from "../../../lib/config";
import { type Dependency, dependenciesOf, PreflightError, preflight } from "../../../lib/preflight";

const configWith = (env: Record<string, string>) => loadConfig({ PIXCRAWLER_ENV: "test", ...env });

function fakeDependency(answers: (Error | null)[], extra: Partial<Dependency> = {}): Dependency & { calls: number } {
	const dependency = {
		name: "NATS transporter",
		packageName: "nats",
		target: "nats://nats:4222",
		variable: "TRANSPORTER",
		calls: 0,
		async check() {
			const answer = answers[Math.min(dependency.calls, answers.length - 1)];
			dependency.calls += 1;
			if (answer) throw answer;
		},
		...extra,
	};
	return dependency;
}

describe("dependenciesOf", () => {
	it("needs nothing in the embedded default", () => {
		expect(dependenciesOf(configWith({}))).toEqual([]);
	});

	it("names each configured server with its credentials masked", () => {
		const config = configWith({
			TRANSPORTER: "nats://user:secret@nats-1:4222,nats://nats-2:4222",
			MONGO_URI: "mongodb://app:hunter2@mongo:27017/pixcrawler?replicaSet=rs0",
			REDIS_URL: "redis://:pw@redis:6379",
			STORAGE_DRIVER: "s3",
			STORAGE_S3_BUCKET: "datasets",
			STORAGE_S3_ENDPOINT: "http://minio:9000",
		});
		const found = dependenciesOf(config);
		expect(found.map((dependency) => [dependency.name, dependency.packageName])).toEqual([
			["NATS transporter", "nats"],
			["MongoDB", "mongoose"],
			["Redis", "ioredis"],
			["S3 storage", "@aws-sdk/client-s3"],
		]);
		const shown = found.map((dependency) => dependency.target).join(" ");
		for (const secret of ["secret", "hunter2", ":pw@"]) expect(shown).not.toContain(secret);
		expect(shown).toContain("http://minio:9000/datasets");
	});

	it("checks only what the services this process runs use", () => {
		const env = {
			TRANSPORTER: "nats://nats:4222",
			MONGO_URI: "mongodb://mongo/pixcrawler",
			REDIS_URL: "redis://redis:6379",
			STORAGE_DRIVER: "s3",
			STORAGE_S3_BUCKET: "b",
		};
		const names = (services: string) => dependenciesOf(configWith({ ...env, SERVICES: services })).map((dependency) => dependency.name);
		expect(names("api")).toEqual(["NATS transporter", "Redis"]);
		expect(names("crawl-worker")).toEqual(["NATS transporter"]);
		expect(names("storage")).toEqual(["NATS transporter", "MongoDB", "S3 storage"]);
	});
});

describe("preflight", () => {
	it("waits for a server that comes up within the time allowed", async () => {
		const dependency = fakeDependency([new Error("connect ECONNREFUSED"), new Error("connect ECONNREFUSED"), null]);
		const retries: string[] = [];
		await preflight([dependency], { timeoutMs: 5000, onRetry: (_dependency, why) => retries.push(why) });
		expect(dependency.calls).toBe(3);
		expect(retries).toEqual(["connect ECONNREFUSED", "connect ECONNREFUSED"]);
	});

	it("fails with one line naming the server, where it is, why and what to check", async () => {
		const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.7:4222\n    at TCPConnectWrap"), { code: "ECONNREFUSED" });
		const error = await preflight([fakeDependency([refused])], { timeoutMs: 600 }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(PreflightError);
		const message = (error as Error).message;
		expect(message).toBe(
			"NATS transporter at nats://nats:4222 did not answer within 600 ms (connect ECONNREFUSED 10.0.0.7:4222); check TRANSPORTER and that the server runs",
		);
		expect(message).not.toContain("\n");
	});

	it("says which driver package is missing before trying any server", async () => {
		const dependency = fakeDependency([null], { name: "MongoDB", packageName: "no-such-mongo-driver", variable: "MONGO_URI" });
		await expect(preflight([dependency], { timeoutMs: 1000 })).rejects.toThrow(
			'MongoDB is configured (MONGO_URI) but its driver package "no-such-mongo-driver" is not installed',
		);
		expect(dependency.calls).toBe(0);
	});
});
