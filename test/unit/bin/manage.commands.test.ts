import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import {
	checkDeps,
	checkEnv,
	createSuperuser,
	createToken,
	DEPENDENCY_EXIT_BITS,
	dbIndexes,
	dbReset,
	dbStats,
	deactivate,
	demote,
	listServices,
	promote,
	resetPassword,
} from "../../../bin/manage/commands";
import { memoryIO } from "../../../bin/manage/io";
import { type Needs, openPlatform, type Platform } from "../../../bin/manage/platform";
import { type Config, type Environment, loadConfig } from "../../../lib/config";
import { verifyPassword } from "../../../services/auth/passwords";
import { freePort } from "../../support/processes";

// A real NeDB store on disk. The db commands load the service files, which read the process
// configuration: it points at the same directory before any of them is loaded.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-manage-"));
const store: Environment = { PIXCRAWLER_DATA_DIR: dataDir, PIXCRAWLER_DB_IN_MEMORY: "false", MONGO_URI: "" };
Object.assign(process.env, store);

const configWith = (overrides: Environment = {}): Config => loadConfig({ ...process.env, ...overrides });
const PASSWORD = "correct horse battery staple";
const SECRET_40 = "s3cr3t-value-for-the-jwt-signing-key-0040";

interface StoredUser {
	_id: string;
	email: string;
	role: string;
	active: boolean;
	passwordHash: string;
}
type Repository = { findOneRaw(query: Record<string, unknown>): Promise<Record<string, unknown> | null> };

// Each group opens the platform once, the way the CLI reaches it (embedded: the services run in this
// process, on the NeDB files above); a group's brokers never overlap, since NeDB files have one owner.
let broker: ServiceBroker;
function usePlatform(needs: Needs) {
	let platform: Platform;
	beforeAll(async () => {
		platform = await openPlatform(configWith(), needs, memoryIO());
		broker = platform.broker;
	});
	afterAll(() => platform.stop());
}

const repository = (name: string) => broker.getLocalService(name) as unknown as Repository;
const storedUser = (email: string) => repository("auth").findOneRaw({ email }) as Promise<StoredUser | null>;
const refreshTokensOf = (userId: string) => repository("auth-refresh-tokens").findOneRaw({ userId });

let serial = 0;
/** A fresh address per test, so tests do not depend on each other's users. */
const newEmail = () => `user${++serial}-${process.pid}@example.com`;

function createUser(email: string, role: "user" | "superuser" = "user") {
	return broker.call("auth.adminCreateUser", { email, name: "Test", password: PASSWORD, role });
}

/** Signs in once, so the user has a refresh token (a session) to revoke. */
function signIn(email: string, password = PASSWORD) {
	return broker.call("auth.login", { email, password }, { meta: { clientAddress: "127.0.0.1" } });
}

afterAll(() => {
	fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("user commands", () => {
	usePlatform("users");

	describe("createsuperuser", () => {
		it("creates an active superuser with an argon2id hash, reading the password from stdin and never printing it", async () => {
			const email = newEmail();
			const io = memoryIO({ stdin: `${PASSWORD}\n` });
			const code = await createSuperuser(broker, configWith(), { email, name: "Ada", passwordStdin: true }, io);
			expect(code).toBe(0);
			expect(io.stdout()).toContain(`Created superuser ${email}`);
			expect(io.stdout() + io.stderr()).not.toContain(PASSWORD);

			const user = await storedUser(email);
			expect(user).toMatchObject({ email, role: "superuser", active: true });
			const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(user?.passwordHash ?? "");
			expect(match).not.toBeNull();
			const [memory, time, parallelism] = (match ?? []).slice(1).map(Number);
			expect(memory).toBeGreaterThanOrEqual(19456);
			expect(time).toBeGreaterThanOrEqual(2);
			expect(parallelism).toBeGreaterThanOrEqual(1);
			// the newline that ends piped input is not part of the password
			expect(await verifyPassword(user?.passwordHash ?? "", PASSWORD)).toBe(true);
		});

		it("asks for what the flags do not give, the password twice and without echo", async () => {
			const email = newEmail();
			const io = memoryIO({ interactive: true, answers: [email, "Grace", PASSWORD, PASSWORD] });
			await expect(createSuperuser(broker, configWith(), {}, io)).resolves.toBe(0);
			expect(io.questions).toEqual([
				{ question: "Email: ", secret: false },
				{ question: "Name: ", secret: false },
				{ question: "Password: ", secret: true },
				{ question: "Password (again): ", secret: true },
			]);
			expect(io.stdout() + io.stderr()).not.toContain(PASSWORD);
			expect(await storedUser(email)).toMatchObject({ role: "superuser" });
		});

		it("refuses when the two passwords differ, and creates nothing", async () => {
			const email = newEmail();
			const io = memoryIO({ interactive: true, answers: [PASSWORD, `${PASSWORD}!`] });
			await expect(createSuperuser(broker, configWith(), { email, name: "A" }, io)).rejects.toThrow("the two passwords differ");
			expect(await storedUser(email)).toBeNull();
		});

		it("refuses to wait for a password when there is no terminal and no --password-stdin", async () => {
			await expect(createSuperuser(broker, configWith(), { email: newEmail(), name: "A" }, memoryIO())).rejects.toThrow("--password-stdin");
		});

		it("names the missing flag when there is no terminal to ask on", async () => {
			const io = memoryIO({ stdin: PASSWORD });
			await expect(createSuperuser(broker, configWith(), { name: "A", passwordStdin: true }, io)).rejects.toThrow("--email is required");
		});

		it("rejects a weak password without repeating it", async () => {
			const weak = "short1";
			const attempt = createSuperuser(
				broker,
				configWith(),
				{ email: newEmail(), name: "A", passwordStdin: true },
				memoryIO({ stdin: weak }),
			);
			const error = await attempt.catch((caught: Error) => caught);
			expect(error).toBeInstanceOf(Error);
			expect((error as Error).message).not.toContain(weak);
		});

		it("points to promote when the account exists", async () => {
			const email = newEmail();
			await createUser(email);
			const io = memoryIO({ stdin: PASSWORD });
			await expect(createSuperuser(broker, configWith(), { email, name: "A", passwordStdin: true }, io)).rejects.toThrow(
				`run "promote ${email}"`,
			);
		});
	});

	describe("promote and demote", () => {
		it("give and take the superuser role", async () => {
			const email = newEmail();
			await createUser(email);
			const io = memoryIO();
			await expect(promote(broker, configWith(), { email }, io)).resolves.toBe(0);
			expect(io.stdout()).toContain(`${email} is now a superuser`);
			expect(await storedUser(email)).toMatchObject({ role: "superuser" });

			await expect(demote(broker, configWith(), { email }, io)).resolves.toBe(0);
			expect(io.stdout()).toContain(`${email} is now a regular user`);
			expect(await storedUser(email)).toMatchObject({ role: "user" });
		});

		it("find the user whatever the case of the address", async () => {
			const email = newEmail();
			await createUser(email);
			await promote(broker, configWith(), { email: email.toUpperCase() }, memoryIO());
			expect(await storedUser(email)).toMatchObject({ role: "superuser" });
		});

		it("name the unknown user", async () => {
			await expect(promote(broker, configWith(), { email: "nobody@example.com" }, memoryIO())).rejects.toThrow(
				"user 'nobody@example.com' was not found",
			);
		});
	});

	describe("deactivate", () => {
		it("marks the user inactive, signs out every session, and sign-in is refused", async () => {
			const email = newEmail();
			await createUser(email);
			await signIn(email);
			const user = (await storedUser(email)) as StoredUser;

			const io = memoryIO();
			await expect(deactivate(broker, configWith(), { email }, io)).resolves.toBe(0);
			expect(io.stdout()).toContain(`${email} is deactivated`);
			expect(await storedUser(email)).toMatchObject({ active: false });
			expect((await refreshTokensOf(user._id))?.revokedAt).toBeTruthy();
			await expect(signIn(email)).rejects.toMatchObject({ code: 403 });
		});
	});

	describe("reset-password", () => {
		it("sets the new password, signs out every session, and never prints it", async () => {
			const email = newEmail();
			const newPassword = "a brand new passphrase";
			await createUser(email);
			await signIn(email);
			const before = (await storedUser(email)) as StoredUser;

			const io = memoryIO({ stdin: `${newPassword}\n` });
			await expect(resetPassword(broker, configWith(), { email, passwordStdin: true }, io)).resolves.toBe(0);
			expect(io.stdout()).toContain(`Changed the password of ${email}`);
			expect(io.stdout() + io.stderr()).not.toContain(newPassword);

			const after = (await storedUser(email)) as StoredUser;
			expect(after.passwordHash).toMatch(/^\$argon2id\$/);
			expect(await verifyPassword(after.passwordHash, newPassword)).toBe(true);
			expect(await verifyPassword(after.passwordHash, PASSWORD)).toBe(false);
			expect((await refreshTokensOf(before._id))?.revokedAt).toBeTruthy();
		});

		it("asks twice without echo on a terminal", async () => {
			const email = newEmail();
			await createUser(email);
			const io = memoryIO({ interactive: true, answers: ["another long passphrase", "another long passphrase"] });
			await expect(resetPassword(broker, configWith(), { email }, io)).resolves.toBe(0);
			expect(io.questions.every((question) => question.secret)).toBe(true);
		});
	});

	describe("token:create", () => {
		it("prints a pxc_ token once and stores only its SHA-256 hash", async () => {
			const email = newEmail();
			await createUser(email);
			const io = memoryIO();
			const code = await createToken(
				broker,
				configWith(),
				{ email, name: "ci", scopes: ["datasets:read", "exports:read"], expiresInDays: 30 },
				io,
			);
			expect(code).toBe(0);
			const token = io.stdout().trim();
			expect(token).toMatch(/^pxc_[0-9A-Za-z]{38}$/);
			expect(io.stderr()).not.toContain(token);
			expect(io.stderr()).toContain("shown only this once");
			expect(io.stderr()).toContain("datasets:read, exports:read");

			const hash = createHash("sha256").update(token).digest("hex");
			const stored = await repository("auth-api-tokens").findOneRaw({ hash });
			expect(stored).toMatchObject({ name: "ci", scopes: ["datasets:read", "exports:read"] });
			const days = (new Date(stored?.expiresAt as string).getTime() - Date.now()) / 86_400_000;
			expect(days).toBeGreaterThan(29.9);
			expect(days).toBeLessThanOrEqual(30);
			// the token text itself is in no collection file
			for (const file of fs.readdirSync(path.join(dataDir, "db"))) {
				expect(fs.readFileSync(path.join(dataDir, "db", file), "utf8")).not.toContain(token);
			}
			// and the platform accepts it
			await expect(broker.call("auth.resolveApiToken", { token })).resolves.toMatchObject({
				via: "apiToken",
				scopes: ["datasets:read", "exports:read"],
			});
		});

		it("refuses an unknown scope by name", async () => {
			await expect(
				createToken(broker, configWith(), { email: newEmail(), name: "x", scopes: ["datasets:read", "root"] }, memoryIO()),
			).rejects.toThrow("unknown scope(s) root");
		});
	});
});

describe("check-env", () => {
	it("prints every variable with secrets masked", () => {
		const io = memoryIO();
		const env = { ...process.env, AUTH_JWT_SECRET: SECRET_40, REDIS_URL: "redis://:hunter2-redis@127.0.0.1:6379" };
		expect(checkEnv(env, io)).toBe(0);
		const output = io.stdout() + io.stderr();
		expect(output).not.toContain(SECRET_40);
		expect(output).not.toContain("hunter2-redis");
		expect(output).toMatch(/AUTH_JWT_SECRET\s+\*\*\*\*\s+set/);
		expect(output).toMatch(/REDIS_URL\s+redis:\/\/:\*\*\*\*@127\.0\.0\.1:6379\s+set/);
		for (const name of ["PIXCRAWLER_ENV", "TRANSPORTER", "GATEWAY_PORT", "CORS_ORIGINS", "RATE_LIMIT_AUTH"]) expect(output).toContain(name);
		expect(io.stdout()).toContain("The configuration is valid");
	});

	it("masks NATS credentials in TRANSPORTER everywhere it prints the bus", () => {
		const io = memoryIO();
		expect(checkEnv({ ...process.env, TRANSPORTER: "nats://opsuser:S3cretPass@127.0.0.1:4222" }, io)).toBe(0);
		const output = io.stdout() + io.stderr();
		expect(output).not.toContain("S3cretPass");
		expect(output).toContain("nats://opsuser:****@127.0.0.1:4222");
	});

	it("exits 1 with one line naming the bad variable, without its secret value", () => {
		const io = memoryIO();
		expect(checkEnv({ ...process.env, AUTH_JWT_SECRET: "too-short-secret", GATEWAY_PORT: "70000" }, io)).toBe(1);
		expect(io.stdout()).toBe("");
		const lines = io.stderr().trimEnd().split("\n");
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^manage: invalid configuration: /);
		expect(lines[0]).toContain("GATEWAY_PORT");
		expect(lines[0]).toContain("AUTH_JWT_SECRET: use at least 32 characters");
		expect(lines[0]).not.toContain("too-short-secret");
	});

	it("refuses development defaults in production", () => {
		const io = memoryIO();
		expect(checkEnv({ ...process.env, PIXCRAWLER_ENV: "production" }, io)).toBe(1);
		expect(io.stderr()).toContain("AUTH_JWT_SECRET: the development default is refused in production");
	});
});

describe("maintenance commands", () => {
	usePlatform("repositories");

	describe("check-deps", () => {
		it("reports every dependency ok for the embedded setup", async () => {
			const io = memoryIO();
			const config = configWith();
			await expect(checkDeps(broker, config, {}, io)).resolves.toBe(0);
			const output = io.stdout();
			expect(output).toMatch(/transporter\s+in-process\s+ok/);
			for (const service of ["auth", "auth-api-tokens", "auth-refresh-tokens"]) {
				expect(output).toMatch(new RegExp(`database\\s+${service}\\.db\\s+ok\\s+\\d+\\.\\d ms`));
			}
			expect(output).toMatch(new RegExp(`storage\\s+${dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+ok`));
			expect(output).toContain("Every dependency answered");
		});

		it("names Redis and exits with its bit when REDIS_URL points at a closed port", async () => {
			const port = await freePort();
			const config = configWith({ REDIS_URL: `redis://127.0.0.1:${port}` });
			const io = memoryIO();
			await expect(checkDeps(broker, config, {}, io)).resolves.toBe(DEPENDENCY_EXIT_BITS.redis);
			expect(io.stdout()).toMatch(new RegExp(`redis\\s+redis://127\\.0\\.0\\.1:${port}\\s+failed.*ECONNREFUSED`));
			expect(io.stdout()).toMatch(/database\s+auth\.db\s+ok/);
			expect(io.stderr()).toContain("manage: failed: redis (exit code 16)");
		});

		it("adds up the bits when the transporter is down and the repositories behind it are unchecked", async () => {
			const io = memoryIO();
			const config = configWith({ TRANSPORTER: "nats://127.0.0.1:1" });
			const code = await checkDeps(
				undefined,
				config,
				{ busError: "cannot reach the transporter at nats://127.0.0.1:1: CONNECTION_REFUSED" },
				io,
			);
			expect(code).toBe(DEPENDENCY_EXIT_BITS.transporter | DEPENDENCY_EXIT_BITS.database);
			expect(io.stdout()).toMatch(/transporter\s+nats:\/\/127\.0\.0\.1:1\s+failed\s+-\s+cannot reach the transporter/);
			expect(io.stdout()).toMatch(/storage\s+\S+\s+ok/);
		});

		it("reports storage failed when the data directory cannot be written", async () => {
			const blocker = path.join(dataDir, "not-a-directory");
			fs.writeFileSync(blocker, "");
			const io = memoryIO();
			const config = configWith({ PIXCRAWLER_DATA_DIR: path.join(blocker, "data") });
			await expect(checkDeps(broker, config, {}, io)).resolves.toBe(DEPENDENCY_EXIT_BITS.storage);
			expect(io.stdout()).toMatch(/storage\s+\S+not-a-directory\S+\s+failed/);
		});
	});

	describe("database maintenance", () => {
		it("db:indexes ensures the indexes of every collection", async () => {
			const io = memoryIO();
			await expect(dbIndexes(broker, configWith(), {}, io)).resolves.toBe(0);
			expect(io.stdout()).toMatch(/auth\s+users\s+email, role/);
			expect(io.stdout()).toMatch(/auth-api-tokens\s+apiTokens\s+hash, userId/);
			expect(io.stdout()).toMatch(/auth-refresh-tokens\s+refreshTokens\s+tokenId, familyId, userId/);
		});

		it("db:stats lists each collection with its document count", async () => {
			await createUser(newEmail());
			const users = await broker.call<{ documents: number }>("auth.collectionStats");
			const io = memoryIO();
			await expect(dbStats(broker, configWith(), {}, io)).resolves.toBe(0);
			const rows = io.stdout().trimEnd().split("\n");
			expect(rows[0]).toMatch(/^COLLECTION\s+DOCUMENTS\s+SERVICE$/);
			expect(rows.slice(1).map((row) => row.split(/\s+/)[0])).toEqual(expect.arrayContaining(["apiTokens", "refreshTokens", "users"]));
			expect(io.stdout()).toMatch(new RegExp(`users\\s+${users.documents}\\s+auth\\n`));
			expect(users.documents).toBeGreaterThan(0);
		});

		it("db:reset refuses without --yes and leaves the data", async () => {
			const email = newEmail();
			await createUser(email);
			await expect(dbReset(broker, configWith(), {}, memoryIO())).rejects.toThrow("--yes");
			expect(await storedUser(email)).not.toBeNull();
		});

		it("db:reset refuses in production without --force", async () => {
			const email = newEmail();
			await createUser(email);
			const production = configWith({ PIXCRAWLER_ENV: "production", AUTH_JWT_SECRET: SECRET_40, STORAGE_SIGNING_SECRET: SECRET_40 });
			await expect(dbReset(broker, production, { yes: true }, memoryIO())).rejects.toThrow("PIXCRAWLER_ENV=production");
			expect(await storedUser(email)).not.toBeNull();
		});

		it("db:reset --yes clears every collection", async () => {
			const email = newEmail();
			await createUser(email);
			await signIn(email);
			const io = memoryIO();
			await expect(dbReset(broker, configWith(), { yes: true }, io)).resolves.toBe(0);
			expect(io.stdout()).toMatch(/users\s+[1-9]\d*\s+auth/);
			expect(io.stdout()).toMatch(/Removed \d+ document\(s\) from \d+ collection\(s\)/);

			const after = memoryIO();
			await dbStats(broker, configWith(), {}, after);
			for (const collection of ["users", "refreshTokens", "apiTokens"]) expect(after.stdout()).toMatch(new RegExp(`${collection}\\s+0\\s`));
		});
	});
});

describe("services", () => {
	it("says there is no shared bus in embedded mode and names the embedded services", async () => {
		const io = memoryIO();
		await expect(listServices(undefined, configWith(), {}, io)).resolves.toBe(0);
		expect(io.stdout()).toContain("no shared bus");
		expect(io.stdout()).toMatch(/The embedded platform runs: .*\bapi\b.*\bauth\b/);
	});
});
