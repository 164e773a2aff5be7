import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ServiceBroker } from "moleculer";
import { main } from "../../bin/manage";
import { memoryIO } from "../../bin/manage/io";
import { type Environment, loadConfig } from "../../lib/config";
import { brokerOptions } from "../../moleculer.config";
import { createAuthService } from "../../services/auth.service";
import { freePort, privateNats, privateRedis, type ServerProcess } from "../support/processes";

/**
 * The manage CLI as operators run it: joining a NATS bus as a service-less node, refusing to share
 * NeDB files with a running embedded platform, and as a real process with piped input.
 */

const PASSWORD = "correct horse battery staple";
const root = path.join(__dirname, "../..");

async function run(argv: string[], env: Environment, stdin?: string) {
	const io = memoryIO({ stdin });
	const code = await main(argv, io, env);
	return { code, stdout: io.stdout(), stderr: io.stderr() };
}

function tempDir() {
	return fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-manage-it-"));
}

describe("manage over a NATS bus", () => {
	let nats: ServerProcess;
	let platform: ServiceBroker;
	let platformDir: string;
	let cliDir: string;
	let env: Environment;
	const namespace = `manage-${randomUUID().slice(0, 8)}`;

	beforeAll(async () => {
		nats = await privateNats();
		platformDir = tempDir();
		cliDir = tempDir();
		const transporter = `nats://127.0.0.1:${nats.port}`;
		const platformConfig = loadConfig({
			...process.env,
			TRANSPORTER: transporter,
			PIXCRAWLER_NAMESPACE: namespace,
			PIXCRAWLER_DATA_DIR: platformDir,
			PIXCRAWLER_DB_IN_MEMORY: "false",
		});
		platform = new ServiceBroker({ ...brokerOptions(platformConfig), nodeID: `platform-${randomUUID().slice(0, 6)}`, logger: false });
		platform.createService(createAuthService(platformConfig));
		await platform.start();
		// the CLI has its own (empty) data directory: everything it changes travels over the bus
		env = { ...process.env, TRANSPORTER: transporter, PIXCRAWLER_NAMESPACE: namespace, PIXCRAWLER_DATA_DIR: cliDir };
	}, 20000);

	afterAll(async () => {
		await platform?.stop();
		await nats?.stop();
		for (const dir of [platformDir, cliDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	const auth = () => platform.getLocalService("auth") as unknown as { findOneRaw(query: object): Promise<Record<string, unknown> | null> };

	it("creates a superuser through the auth service on another node", async () => {
		const result = await run(["createsuperuser", "--email", "ops@example.com", "--name", "Ops", "--password-stdin"], env, `${PASSWORD}\n`);
		expect(result).toMatchObject({ code: 0, stderr: "" });
		expect(await auth().findOneRaw({ email: "ops@example.com" })).toMatchObject({ role: "superuser", active: true });
		expect(fs.existsSync(path.join(cliDir, "db"))).toBe(false);
	});

	it("changes users and creates tokens over the bus", async () => {
		expect((await run(["demote", "ops@example.com"], env)).code).toBe(0);
		expect(await auth().findOneRaw({ email: "ops@example.com" })).toMatchObject({ role: "user" });
		const token = await run(["token:create", "--email", "ops@example.com", "--name", "ci", "--scopes", "datasets:read"], env);
		expect(token.code).toBe(0);
		expect(token.stdout.trim()).toMatch(/^pxc_/);
	});

	it("lists the nodes on the bus and their services, without itself", async () => {
		const { code, stdout } = await run(["services"], env);
		expect(code).toBe(0);
		expect(stdout).toMatch(
			new RegExp(`${platform.nodeID}\\s+\\S+\\s+0\\.15\\.\\d+\\s+auth, auth-activity, auth-api-tokens, auth-refresh-tokens`),
		);
		expect(stdout).not.toContain(`manage-${process.pid}`);
		expect(stdout).toContain(`namespace ${namespace}`);
	});

	it("check-deps reaches the transporter and every repository on the bus", async () => {
		const { code, stdout } = await run(["check-deps"], env);
		expect(code).toBe(0);
		expect(stdout).toMatch(/transporter\s+nats:\/\/127\.0\.0\.1:\d+\s+ok/);
		expect(stdout).toMatch(/database\s+auth\.db\s+ok/);
	});

	it("maintains the collections of the repositories on the bus", async () => {
		const stats = await run(["db:stats"], env);
		expect(stats.code).toBe(0);
		expect(stats.stdout).toMatch(/users\s+1\s+auth/);
		expect(stats.stdout).toMatch(/apiTokens\s+1\s+auth-api-tokens/);
		expect((await run(["db:indexes"], env)).code).toBe(0);
		expect((await run(["db:reset", "--yes"], env)).code).toBe(0);
		expect(await auth().findOneRaw({ email: "ops@example.com" })).toBeNull();
	});

	it("check-deps names the transporter when NATS is not there", async () => {
		const closed = await freePort();
		const { code, stdout, stderr } = await run(["check-deps"], { ...env, TRANSPORTER: `nats://127.0.0.1:${closed}` });
		expect(code).toBe(4 | 8);
		expect(stdout).toMatch(/transporter\s+nats:\/\/127\.0\.0\.1:\d+\s+failed\s+-\s+cannot reach the transporter/);
		expect(stderr).toContain("failed: transporter, database (exit code 12)");
	});

	it("other commands fail in one line when NATS is not there", async () => {
		const closed = await freePort();
		const { code, stderr } = await run(["promote", "ops@example.com"], { ...env, TRANSPORTER: `nats://127.0.0.1:${closed}` });
		expect(code).toBe(1);
		expect(stderr).toMatch(/^manage: cannot reach the transporter at nats:\/\/127\.0\.0\.1:\d+: .+\n$/);
	});
});

describe("manage next to the embedded platform", () => {
	let dataDir: string;
	beforeAll(() => {
		dataDir = tempDir();
	});
	afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

	it("refuses data commands while the platform's gateway port answers, and runs once it is gone", async () => {
		const gateway = net.createServer((socket) => socket.destroy());
		await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
		const port = (gateway.address() as net.AddressInfo).port;
		const env = { ...process.env, PIXCRAWLER_DATA_DIR: dataDir, PIXCRAWLER_DB_IN_MEMORY: "false", GATEWAY_PORT: String(port) };
		try {
			const refused = await run(["db:stats"], env);
			expect(refused.code).toBe(1);
			expect(refused.stderr).toBe(
				`manage: the embedded platform is running (127.0.0.1:${port} answers) and NeDB files have a single owner: stop it, then run this command again\n`,
			);
			// commands that do not open the store still work
			expect((await run(["check-env"], env)).code).toBe(0);
		} finally {
			await new Promise((resolve) => gateway.close(resolve));
		}
		expect((await run(["db:stats"], env)).code).toBe(0);
	});

	it("check-deps reports Redis ok when it answers", async () => {
		const redis = await privateRedis();
		try {
			const env = {
				...process.env,
				PIXCRAWLER_DATA_DIR: dataDir,
				PIXCRAWLER_DB_IN_MEMORY: "false",
				REDIS_URL: `redis://127.0.0.1:${redis.port}`,
			};
			const { code, stdout } = await run(["check-deps"], env);
			expect(code).toBe(0);
			expect(stdout).toMatch(/redis\s+redis:\/\/127\.0\.0\.1:\d+\s+ok/);
		} finally {
			await redis.stop();
		}
	});
});

describe("manage as a process", () => {
	let dataDir: string;
	beforeAll(() => {
		dataDir = tempDir();
	});
	afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

	function manage(args: string[], stdin = "") {
		const child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "bin/manage.ts"), ...args], {
			cwd: root,
			env: { ...process.env, PIXCRAWLER_DATA_DIR: dataDir, PIXCRAWLER_DB_IN_MEMORY: "false" },
		});
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (chunk) => {
			stdout += chunk;
		});
		child.stderr.on("data", (chunk) => {
			stderr += chunk;
		});
		child.stdin.end(stdin);
		return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
			child.once("close", (code) => resolve({ code, stdout, stderr })),
		);
	}

	it("reads the password from a pipe and exits 0, printing no secret", async () => {
		const result = await manage(["createsuperuser", "--email", "proc@example.com", "--name", "Proc", "--password-stdin"], `${PASSWORD}\n`);
		expect(result).toMatchObject({ code: 0, stderr: "" });
		expect(result.stdout).toMatch(/^Created superuser proc@example\.com \(id \w+\)\.\n$/);
	}, 20000);

	it("exits 2 on an unknown command", async () => {
		const result = await manage(["loaddata"]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("unknown command 'loaddata'");
	}, 20000);
});
