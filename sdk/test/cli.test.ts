import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { addStoredImage } from "../../test/support/dataset-images";
import { type FixtureWeb, startFixtureWeb } from "../../test/support/fixture-web";
import type { RunningGateway } from "../../test/support/gateway";
import { startPlatform } from "../../test/support/platform";
import { COMMANDS } from "../src/cli/commands";
import type { CliIo } from "../src/cli/context";
import { main } from "../src/cli/main";

jest.setTimeout(30000);

const PASSWORD = "correct horse battery staple";
const ALL_SCOPES = ["account:read", "datasets:read", "datasets:write", "crawl:run", "exports:read", "tokens:manage"];
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const jpeg = (seed: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`image ${seed} `.repeat(20))]);

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

describe("the pixcrawler CLI against the platform", () => {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-cli-"));
	const dataDir = path.join(root, "data");
	const workDir = path.join(root, "work");
	const home = path.join(root, "home");
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let userId: string;
	let token: string;

	beforeAll(async () => {
		for (const dir of [dataDir, workDir, home]) fs.mkdirSync(dir);
		web = await startFixtureWeb({ imagesPerKeyword: 10 });
		gateway = await startPlatform({
			env: { PIXCRAWLER_DATA_DIR: dataDir, RATE_LIMIT_AUTH: "10000", ...web.env() },
			waitFor: [
				"auth.register",
				"auth.login",
				"auth.createToken",
				"dataset.createExport",
				"dataset.downloadExport",
				"crawl.build",
				"crawl.getJob",
			],
		});
		const post = async (route: string, body: unknown, bearer?: string): Promise<Record<string, string>> => {
			const response = await fetch(`${gateway.url}/api/v1${route}`, {
				method: "POST",
				headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
				body: JSON.stringify(body),
			});
			expect(response.ok).toBe(true);
			return (await response.json()) as Record<string, string>;
		};
		const email = `cli-${Date.now()}@example.com`;
		userId = (await post("/auth/register", { email, password: PASSWORD, name: "Ada" })).id;
		const { accessToken } = await post("/auth/login", { email, password: PASSWORD });
		token = (await post("/tokens", { name: "cli test", scopes: ALL_SCOPES }, accessToken)).token;
	});
	afterAll(async () => {
		await gateway?.stop();
		await web?.stop();
		fs.rmSync(root, { recursive: true, force: true });
	});

	/** The environment of a signed-in shell: token and base URL in the environment, config under the temp home. */
	const signedIn = () => ({
		HOME: home,
		XDG_CONFIG_HOME: path.join(home, ".config"),
		PIXCRAWLER_BASE_URL: gateway.url,
		PIXCRAWLER_API_TOKEN: token,
	});

	async function cli(argv: string[], env: CliIo["env"] = signedIn(), extra: Partial<CliIo> & { tty?: boolean } = {}): Promise<Run> {
		let stdout = "";
		let stderr = "";
		const code = await main(argv, {
			stdout: { write: (text: string) => (stdout += text) },
			stderr: { write: (text: string) => (stderr += text), isTTY: extra.tty ?? false, columns: 100 },
			env,
			cwd: workDir,
			...extra,
		});
		return { code, stdout, stderr };
	}

	function writeDefinition(name: string, definition: unknown) {
		const file = path.join(workDir, name);
		fs.writeFileSync(file, JSON.stringify(definition));
		return file;
	}

	it("prints usage and the exit codes for --help, and help for every command", async () => {
		const top = await cli(["--help"]);
		expect(top.code).toBe(0);
		expect(top.stdout).toContain("Usage: pixcrawler <command>");
		expect(top.stdout).toMatch(/Exit codes:[\s\S]*\b7 {2}validation[\s\S]*\b10 {2}network/);
		expect(top.stderr).toBe("");
		for (const command of COMMANDS) {
			const help = await cli([...command.words, "--help"]);
			expect(help.code).toBe(0);
			expect(help.stdout).toContain(`Usage: pixcrawler ${command.words.join(" ")}`);
			expect(help.stdout).toContain("--json");
		}
		expect((await cli(["datasets", "create", "--help"])).stdout).toContain("-f, --file <file>");
		expect((await cli(["help", "export"])).stdout).toContain("--split <train,val,test>");
		expect((await cli(["datasets", "--help"])).stdout).toContain("datasets build <datasetId>");

		const unknown = await cli(["datasets", "frobnicate"]);
		expect(unknown).toMatchObject({ code: 2, stdout: "" });
		expect(unknown.stderr).toBe("error: unknown command 'datasets frobnicate' (see `pixcrawler datasets --help`)\n");
		expect(await cli(["datasets", "list", "--colour"])).toMatchObject({
			code: 2,
			stderr: expect.stringContaining("unknown option '--colour'"),
		});
		expect(await cli(["datasets", "get"])).toMatchObject({ code: 2, stderr: expect.stringContaining("missing <datasetId>") });
		expect(await cli([])).toMatchObject({ code: 2, stdout: "" });
	});

	it("exits 3 with a clear message when no token is configured", async () => {
		const result = await cli(["datasets", "list"], {
			HOME: home,
			XDG_CONFIG_HOME: path.join(root, "nobody"),
			PIXCRAWLER_BASE_URL: gateway.url,
		});
		expect(result).toEqual({
			code: 3,
			stdout: "",
			stderr: "error: no API token: pass --token, set PIXCRAWLER_API_TOKEN or run `pixcrawler login`\n",
		});
		const refused = await cli(["me", "--token", "pxc_notARealTokenAtAll0000000000000000000"]);
		expect(refused.code).toBe(3);
		expect(refused.stderr).toMatch(/^error: .+ \(request id [^)]+\)\n$/);
	});

	it("logs in with a token checked by /auth/me, saves it 0600, uses it later, and logs out", async () => {
		const configHome = path.join(root, "config-login");
		const env = { HOME: home, XDG_CONFIG_HOME: configHome, PIXCRAWLER_BASE_URL: gateway.url };
		const file = path.join(configHome, "pixcrawler", "credentials.json");

		const refused = await cli(["login", "--token", "pxc_wrong0000000000000000000000000000000000"], env);
		expect(refused.code).toBe(3);
		expect(fs.existsSync(file)).toBe(false);

		const login = await cli(["login", "--token", token], env);
		expect(login).toMatchObject({ code: 0, stderr: "" });
		expect(login.stdout).toContain(`token saved to ${file}`);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
		expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ token, baseUrl: gateway.url });

		// later commands find the token and the base URL in the file
		const me = await cli(["me", "--json"], { HOME: home, XDG_CONFIG_HOME: configHome });
		expect(me.code).toBe(0);
		expect(JSON.parse(me.stdout)).toMatchObject({ id: userId, name: "Ada" });
		expect((await cli(["me"], { HOME: home, XDG_CONFIG_HOME: configHome })).stdout).toMatch(/^id: +\S+\nemail: +cli-/);

		expect(await cli(["logout"], env)).toMatchObject({ code: 0, stdout: `Removed ${file}\n` });
		expect(fs.existsSync(file)).toBe(false);
		expect((await cli(["me"], { HOME: home, XDG_CONFIG_HOME: configHome, PIXCRAWLER_BASE_URL: gateway.url })).code).toBe(3);

		// the token may come on standard input; HOME/.config is used without XDG_CONFIG_HOME
		const fromStdin = await cli(
			["login", "--json"],
			{ HOME: home, PIXCRAWLER_BASE_URL: gateway.url },
			{ stdin: Readable.from([`${token}\n`]) },
		);
		expect(fromStdin.code).toBe(0);
		const saved = path.join(home, ".config", "pixcrawler", "credentials.json");
		expect(JSON.parse(fromStdin.stdout)).toMatchObject({ user: { id: userId }, baseUrl: gateway.url, credentialsPath: saved });
		expect(fs.statSync(saved).mode & 0o777).toBe(0o600);
		expect((await cli(["logout"], { HOME: home })).code).toBe(0);
	});

	it("creates a dataset from a file, lists it as JSON and as a table, gets and deletes it", async () => {
		writeDefinition("pets.json", {
			name: "cli pets",
			categories: [
				{ label: "cat", keywords: ["tabby cat"] },
				{ label: "dog", keywords: ["puppy"] },
			],
			sources: ["wikimedia"],
		});
		const created = await cli(["datasets", "create", "-f", "pets.json", "--json"]);
		expect(created).toMatchObject({ code: 0, stderr: "" });
		const dataset = JSON.parse(created.stdout);
		expect(dataset).toMatchObject({ name: "cli pets", status: "draft" });

		const listed = await cli(["datasets", "list", "--name", "cli pets", "--json"]);
		expect(listed.code).toBe(0);
		expect(JSON.parse(listed.stdout)).toMatchObject({ total: 1, page: 1, items: [{ id: dataset.id, name: "cli pets" }] });
		const all = JSON.parse((await cli(["datasets", "list", "--all", "--json"])).stdout);
		expect(all.items.map((item: { id: string }) => item.id)).toContain(dataset.id);

		const table = (await cli(["datasets", "list"])).stdout.split("\n");
		expect(table[0]).toMatch(/^ID +NAME +STATUS +VALID +LABELS +UPDATED$/);
		const row = table.find((line) => line.startsWith(dataset.id));
		expect(row).toMatch(/cli pets +draft +0 +cat,dog +\d{4}-/);
		// columns line up: every row's NAME starts where the header's does
		expect(row?.indexOf("cli pets")).toBe(table[0].indexOf("NAME"));

		const shown = await cli(["datasets", "get", dataset.id]);
		expect(shown.code).toBe(0);
		expect(shown.stdout).toMatch(/^id: +\S+\nname: +cli pets\n/);
		expect(shown.stdout).toContain("cat (tabby cat); dog (puppy)");
		expect(JSON.parse((await cli(["datasets", "get", dataset.id, "--json"])).stdout)).toEqual(dataset);

		expect(await cli(["datasets", "delete", dataset.id, "--json"])).toMatchObject({
			code: 0,
			stdout: `{\n  "deleted": "${dataset.id}"\n}\n`,
		});
		expect((await cli(["datasets", "get", dataset.id])).code).toBe(5);
	});

	it("exits 7 naming each invalid field, 5 for what does not exist, 2 for an unreadable definition", async () => {
		writeDefinition("invalid.json", { name: "", categories: [], sources: ["nowhere"] });
		const invalid = await cli(["datasets", "create", "-f", "invalid.json", "--json"]);
		expect(invalid.code).toBe(7);
		expect(invalid.stdout).toBe("");
		const [first, ...fields] = invalid.stderr.trimEnd().split("\n");
		expect(first).toMatch(/^error: .+ \(request id [^)]+\)$/);
		expect(fields.length).toBeGreaterThan(0);
		const named = fields.map((line) => line.trim().split(":")[0]);
		expect(named).toEqual(expect.arrayContaining(["name", "categories"]));

		const missing = await cli(["datasets", "get", "no-such-dataset"]);
		expect(missing.code).toBe(5);
		expect(missing.stderr).toMatch(/^error: .+ \(request id [^)]+\)\n$/);
		expect((await cli(["jobs", "get", "no-such-job"])).code).toBe(5);
		expect((await cli(["download", "no-such-export"])).code).toBe(5);

		expect(await cli(["datasets", "create", "-f", "absent.json"])).toMatchObject({
			code: 2,
			stderr: expect.stringContaining("cannot read absent.json"),
		});
		fs.writeFileSync(path.join(workDir, "broken.json"), "{ name:");
		expect(await cli(["datasets", "create", "-f", "broken.json"])).toMatchObject({
			code: 2,
			stderr: expect.stringContaining("not valid JSON"),
		});
		expect(await cli(["export", "x", "--format", "csv", "--split", "0.8,0.2"])).toMatchObject({ code: 2 });
	});

	it("exports a dataset to a zip whose SHA-256 matches, with progress on stderr, and downloads it again", async () => {
		const definition = {
			name: "cli export",
			categories: [
				{ label: "cat", keywords: ["cat"] },
				{ label: "dog", keywords: ["dog"] },
			],
			sources: ["wikimedia"],
		};
		const created = await cli(["datasets", "create", "-f", writeDefinition("export.json", definition), "--json"]);
		expect(created).toMatchObject({ code: 0, stderr: "" });
		const dataset = JSON.parse(created.stdout);
		for (let seed = 1; seed <= 4; seed++) {
			await addStoredImage(gateway.broker, userId, dataset.id, jpeg(seed), { label: seed % 2 === 0 ? "dog" : "cat", license: "cc0" });
		}

		const exported = await cli([
			"export",
			dataset.id,
			"--format",
			"imagefolder",
			"--split",
			"0.5,0.25,0.25",
			"--out",
			"pets.zip",
			"--json",
		]);
		expect(exported.code).toBe(0);
		const result = JSON.parse(exported.stdout);
		const archive = fs.readFileSync(path.join(workDir, "pets.zip"));
		expect(result).toMatchObject({ path: path.join(workDir, "pets.zip"), bytes: archive.length, sha256: sha256(archive) });
		expect(result.export).toMatchObject({ status: "ready", format: "imagefolder", imageCount: 4, sha256: sha256(archive) });
		expect(archive.subarray(0, 2).toString("latin1")).toBe("PK");
		// not a terminal: one line per milestone, none of them on stdout
		expect(exported.stderr).toMatch(new RegExp(`^export ${result.export.id}: .*ready`, "m"));
		expect(exported.stderr).toMatch(new RegExp(`^download ${result.export.id}: 100%`, "m"));
		expect(exported.stderr).not.toContain("\r");

		// on a terminal the bar redraws one line; --quiet silences it
		const tty = await cli(["download", result.export.id, "--out", "again.zip"], signedIn(), { tty: true });
		expect(tty.code).toBe(0);
		expect(tty.stdout).toBe(
			`Saved ${path.join(workDir, "again.zip")} (${(archive.length / 1024).toFixed(1)} KiB, sha256 ${sha256(archive)})\n`,
		);
		expect(tty.stderr.startsWith("\r\u001b[2Kdownload ")).toBe(true);
		expect(tty.stderr).toMatch(/download \S+ \[#+\] 100%/);
		expect(sha256(fs.readFileSync(path.join(workDir, "again.zip")))).toBe(sha256(archive));
		const quiet = await cli(["download", result.export.id, "--out", "quiet.zip", "--quiet"]);
		expect(quiet).toMatchObject({ code: 0, stderr: "" });

		const exports = await cli(["exports", "list", dataset.id, "--json"]);
		expect(JSON.parse(exports.stdout)).toMatchObject({ total: 1, items: [{ id: result.export.id }] });
		expect((await cli(["exports", "get", result.export.id])).stdout).toContain(`sha256:   ${sha256(archive)}`);

		// an empty dataset cannot be exported: 409
		const empty = JSON.parse((await cli(["datasets", "create", "-f", "export.json", "--json"])).stdout);
		expect((await cli(["export", empty.id, "--format", "csv", "--quiet"])).code).toBe(6);
	});

	it("creates, lists and revokes tokens; a token without the scope gets exit 4", async () => {
		const created = await cli([
			"tokens",
			"create",
			"--name",
			"ci reader",
			"--scopes",
			"datasets:read,account:read",
			"--expires-in-days",
			"7",
			"--json",
		]);
		expect(created.code).toBe(0);
		const reader = JSON.parse(created.stdout);
		expect(reader).toMatchObject({ name: "ci reader", scopes: ["datasets:read", "account:read"], token: expect.stringMatching(/^pxc_/) });
		const human = await cli(["tokens", "create", "--name", "shown", "--scopes", "datasets:read"]);
		expect(human.stdout).toMatch(/^token: +pxc_\S+$/m);
		expect(human.stdout).toContain("cannot be shown again");

		const listed = JSON.parse((await cli(["tokens", "list", "--json"])).stdout);
		expect(listed.items.map((item: { id: string }) => item.id)).toContain(reader.id);
		expect(JSON.stringify(listed)).not.toContain(reader.token);
		expect((await cli(["tokens", "list"])).stdout).toMatch(new RegExp(`^${reader.id} +ci reader +pxc_`, "m"));

		expect((await cli(["datasets", "list", "--json", "--token", reader.token])).code).toBe(0);
		const forbidden = await cli(["tokens", "list", "--token", reader.token]);
		expect(forbidden.code).toBe(4);
		expect(forbidden.stderr).toMatch(/^error: .+ \(request id [^)]+\)\n$/);
		expect(await cli(["tokens", "create", "--name", "x"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--scopes") });

		expect(await cli(["tokens", "revoke", reader.id])).toMatchObject({ code: 0, stdout: `Revoked token ${reader.id}\n` });
		const after = JSON.parse((await cli(["tokens", "list", "--json", "--page-size", "100"])).stdout);
		const revoked = after.items.find((item: { id: string }) => item.id === reader.id);
		expect(revoked === undefined || revoked.revokedAt !== null).toBe(true);
		expect((await cli(["tokens", "revoke", "no-such-token"])).code).toBe(5);
	});

	it("builds a dataset with --watch until it is ready, then shows the job, its tasks and refuses a retry with nothing to retry", async () => {
		writeDefinition("build.json", {
			name: "cli build",
			categories: [{ label: "cat", keywords: ["cat"] }],
			sources: ["bing"],
			options: { maxImagesPerKeyword: 3, minWidth: 32, minHeight: 32, keywordExpansion: "none" },
		});
		const dataset = JSON.parse((await cli(["datasets", "create", "-f", "build.json", "--json"])).stdout);
		const built = await cli(["datasets", "build", dataset.id, "--watch", "--json", "--timeout", "25"]);
		expect(built.stderr).not.toContain("error:");
		expect(built.code).toBe(0);
		const ready = JSON.parse(built.stdout);
		expect(ready).toMatchObject({ id: dataset.id, status: "ready", currentJobId: expect.any(String) });
		expect(ready.stats.valid).toBeGreaterThanOrEqual(3);
		// milestones: the start, then the build's steps with valid images against the target
		expect(built.stderr).toMatch(new RegExp(`^build ${ready.currentJobId}: 0 queued`, "m"));
		expect(built.stderr).toMatch(new RegExp(`^build ${ready.currentJobId}: 100% \\d+/3 done`, "m"));

		const job = await cli(["jobs", "get", ready.currentJobId, "--json"]);
		expect(JSON.parse(job.stdout)).toMatchObject({ id: ready.currentJobId, status: "done", targets: { cat: 3 } });
		expect((await cli(["jobs", "get", ready.currentJobId])).stdout).toMatch(/^status: +done$/m);
		const tasks = await cli(["jobs", "tasks", ready.currentJobId, "--type", "crawl.finalize"]);
		expect(tasks.stdout).toMatch(/^ID +TYPE +STATUS +ATTEMPTS +KEY +LAST ERROR\n\S+ +crawl\.finalize +done /);
		const retry = await cli(["jobs", "retry", ready.currentJobId]);
		expect(retry.code).toBe(6);
		expect(retry.stderr).toMatch(/^error: The build has no failed tasks \(request id [^)]+\)\n$/);
		expect((await cli(["jobs", "list", "--dataset", dataset.id, "--json"])).stdout).toContain(ready.currentJobId);
	});
});
