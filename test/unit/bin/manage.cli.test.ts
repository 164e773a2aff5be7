import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildProgram, COMMAND_NAMES, main } from "../../../bin/manage";
import { memoryIO } from "../../../bin/manage/io";
import type { Environment } from "../../../lib/config";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-manage-cli-"));
const env: Environment = { ...process.env, PIXCRAWLER_DATA_DIR: dataDir, PIXCRAWLER_DB_IN_MEMORY: "false", MONGO_URI: "" };
const PASSWORD = "correct horse battery staple";

/** The production commands, and nothing else: no generators of fake, demo or seed data. */
const EXPECTED_COMMANDS = [
	"createsuperuser",
	"promote",
	"demote",
	"reset-password",
	"deactivate",
	"check-env",
	"check-deps",
	"db:indexes",
	"db:stats",
	"db:reset",
	"services",
	"token:create",
];

afterAll(() => {
	fs.rmSync(dataDir, { recursive: true, force: true });
});

async function run(argv: string[], input: Parameters<typeof memoryIO>[0] = {}, environment = env) {
	const io = memoryIO(input);
	const code = await main(argv, io, environment);
	return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** Command names from the "Commands:" section of the help text. */
function commandsInHelp(help: string): string[] {
	const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? "";
	return section
		.split("\n")
		.map((line) => /^ {2}(\S+)/.exec(line)?.[1])
		.filter((name): name is string => Boolean(name));
}

describe("the manage CLI's parser", () => {
	it("lists exactly the production commands in its help", async () => {
		const { code, stdout } = await run(["--help"]);
		expect(code).toBe(0);
		expect(new Set(commandsInHelp(stdout))).toEqual(new Set(EXPECTED_COMMANDS));
		expect(commandsInHelp(stdout)).toHaveLength(EXPECTED_COMMANDS.length);
		expect(new Set(COMMAND_NAMES)).toEqual(new Set(EXPECTED_COMMANDS));
		const program = buildProgram(memoryIO(), env, () => undefined);
		expect(new Set(program.commands.map((command) => command.name()))).toEqual(new Set(EXPECTED_COMMANDS));
	});

	it("offers nothing that generates fake or demo data, in any help text", () => {
		const program = buildProgram(memoryIO(), env, () => undefined);
		const texts = [program.helpInformation(), ...program.commands.map((command) => command.helpInformation())];
		for (const text of texts) expect(text).not.toMatch(/\b(fake|demo|seed|factory|fixtures?|sample data|dummy)\b/i);
		for (const command of program.commands) {
			for (const option of command.options) expect(option.long).not.toMatch(/fake|demo|seed|sample|dummy|^--password$/);
		}
	});

	it("documents the exit codes, check-deps's bits included", async () => {
		const { stdout } = await run(["--help"]);
		expect(stdout).toContain("2   unknown command or option");
		expect(stdout).toContain("transporter 4, database 8, redis 16, storage 32");
	});

	it("shows each command's flags", async () => {
		const { code, stdout } = await run(["token:create", "--help"]);
		expect(code).toBe(0);
		for (const flag of ["--email <email>", "--name <name>", "--scopes <scopes>", "--expires-in-days <days>"])
			expect(stdout).toContain(flag);
	});

	it("rejects an unknown command with exit code 2, naming it", async () => {
		const { code, stdout, stderr } = await run(["seed"]);
		expect(code).toBe(2);
		expect(stdout).toBe("");
		expect(stderr).toContain("error: unknown command 'seed'");
		expect(stderr).toContain("--help");
	});

	it("rejects an unknown option with exit code 2, naming it", async () => {
		const { code, stderr } = await run(["promote", "ada@example.com", "--fake-data"]);
		expect(code).toBe(2);
		expect(stderr).toContain("error: unknown option '--fake-data'");
	});

	it("has no --password flag, and does not repeat the value given to it", async () => {
		const { code, stdout, stderr } = await run(["createsuperuser", "--email", "a@example.com", "--password", "hunter2-password"]);
		expect(code).toBe(2);
		expect(stderr).toContain("unknown option '--password'");
		expect(stdout + stderr).not.toContain("hunter2-password");
	});

	it("rejects a missing argument, an extra argument and a missing command with exit code 2", async () => {
		const missing = await run(["promote"]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain("missing required argument 'email'");

		const extra = await run(["db:stats", "users"]);
		expect(extra.code).toBe(2);
		expect(extra.stderr).toContain("too many arguments");

		const none = await run([]);
		expect(none.code).toBe(2);
		expect(none.stderr).toContain("Usage: manage");
	});

	it("rejects bad token flags with exit code 2, naming the problem", async () => {
		const base = ["token:create", "--email", "a@example.com", "--name", "ci"];
		const unknownScope = await run([...base, "--scopes", "datasets:read,everything"]);
		expect(unknownScope.code).toBe(2);
		expect(unknownScope.stderr).toContain("unknown scope(s) everything");

		const noScopes = await run(base);
		expect(noScopes.code).toBe(2);
		expect(noScopes.stderr).toContain("required option '--scopes <scopes>' not specified");

		const badDays = await run([...base, "--scopes", "datasets:read", "--expires-in-days", "0"]);
		expect(badDays.code).toBe(2);
		expect(badDays.stderr).toContain("from 1 to 3650");
	});

	it("prints the version", async () => {
		const { code, stdout } = await run(["--version"]);
		expect(code).toBe(0);
		expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
	});
});

describe("running commands", () => {
	it("runs a command end to end and reports success with exit code 0", async () => {
		const created = await run(["createsuperuser", "--email", "root@example.com", "--name", "Root", "--password-stdin"], {
			stdin: `${PASSWORD}\n`,
		});
		expect(created).toMatchObject({ code: 0, stderr: "" });
		expect(created.stdout).toContain("Created superuser root@example.com");
		expect(created.stdout + created.stderr).not.toContain(PASSWORD);

		// a later run (a new process, in real life) sees the user in the same store
		const stats = await run(["db:stats"]);
		expect(stats.code).toBe(0);
		expect(stats.stdout).toMatch(/users\s+1\s+auth/);
	});

	it("prints one line for an error from an action, never a stack, with exit code 1", async () => {
		const { code, stdout, stderr } = await run(["promote", "nobody@example.com"]);
		expect(code).toBe(1);
		expect(stdout).toBe("");
		expect(stderr).toBe("manage: user 'nobody@example.com' was not found\n");
	});

	it("prints one line for a validation error from an action", async () => {
		const { code, stderr } = await run(["reset-password", "root@example.com", "--password-stdin"], { stdin: "short" });
		expect(code).toBe(1);
		expect(stderr.trimEnd().split("\n")).toHaveLength(1);
		expect(stderr).toMatch(/^manage: .*password.*10 characters/);
		expect(stderr).not.toContain("    at ");
	});

	it("check-env exits 1 with one line on a bad configuration, and other commands refuse to run on it", async () => {
		const bad = { ...env, RATE_LIMIT_AUTH: "many" };
		const checked = await run(["check-env"], {}, bad);
		expect(checked.code).toBe(1);
		expect(checked.stderr).toMatch(/^manage: invalid configuration: RATE_LIMIT_AUTH: .*\n$/);

		const stats = await run(["db:stats"], {}, bad);
		expect(stats.code).toBe(1);
		expect(stats.stderr).toMatch(/^manage: invalid configuration: RATE_LIMIT_AUTH/);
	});

	it("db:reset refuses without --yes before touching the store", async () => {
		const { code, stderr } = await run(["db:reset"]);
		expect(code).toBe(1);
		expect(stderr).toContain("--yes");
		expect((await run(["db:stats"])).stdout).toMatch(/users\s+1\s+auth/);
	});

	it("services says there is no shared bus in embedded mode", async () => {
		const { code, stdout } = await run(["services"]);
		expect(code).toBe(0);
		expect(stdout).toContain("no shared bus");
	});

	it("refuses data commands on an in-memory store it cannot share", async () => {
		const { code, stderr } = await run(["db:stats"], {}, { ...env, PIXCRAWLER_DB_IN_MEMORY: "true" });
		expect(code).toBe(1);
		expect(stderr).toContain("PIXCRAWLER_DB_IN_MEMORY=true");
	});
});
