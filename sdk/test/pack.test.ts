import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig } from "../../test/support/gateway";
import { PixCrawler } from "../src";

/**
 * The SDK is a package of its own: packed with `npm pack` (which builds it), installed into an empty
 * project without the network, it loads, and its `pixcrawler` command talks to a running platform.
 * Children run with execFile (async): the platform they call lives in this process's event loop.
 */

jest.setTimeout(90000);

const run = promisify(execFile);
const SDK_DIR = path.resolve(__dirname, "..");

interface Outcome {
	code: number;
	stdout: string;
	stderr: string;
}

async function exec(
	command: string,
	args: string[],
	options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<Outcome> {
	try {
		const { stdout, stderr } = await run(command, args, { timeout: 60000, maxBuffer: 16 * 1024 * 1024, ...options });
		return { code: 0, stdout, stderr };
	} catch (error) {
		const failed = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
		if (typeof failed.code !== "number") throw error;
		return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
	}
}

describe("the @pixcrawler/sdk package on its own", () => {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-pack-"));
	const consumer = path.join(root, "consumer");
	// npm's own settings: a private cache, no update checks, nothing inherited from an `npm test` parent
	const npmEnv: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: root,
		npm_config_cache: path.join(root, "npm-cache"),
		npm_config_update_notifier: "false",
		npm_config_fund: "false",
		npm_config_audit: "false",
	};
	let gateway: RunningGateway;
	let datasetId: string;
	let token: string;
	let tarball: string;
	let packedFiles: string[];

	beforeAll(async () => {
		fs.mkdirSync(consumer);
		const env = { PIXCRAWLER_DATA_DIR: path.join(root, "data") };
		const config = testConfig(env);
		const started = startGateway({
			env,
			services: [createStorageService(config), createDatasetService(config)],
			waitFor: ["dataset.createDataset", "dataset.listDatasets"],
		});
		// npm pack runs the prepack script: a clean build of dist/ with tsc
		const packed = await exec("npm", ["pack", "--json", "--pack-destination", root], { cwd: SDK_DIR, env: npmEnv });
		expect(packed).toMatchObject({ code: 0 });
		const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
		tarball = path.join(root, manifest.filename);
		packedFiles = manifest.files.map((file) => file.path);

		gateway = await started;
		token = await gateway.tokenFor("alice");
		const pix = new PixCrawler({ token, baseUrl: gateway.url });
		datasetId = (await pix.datasets.create({ name: "packed", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] }))
			.id;

		expect(await exec("npm", ["init", "-y"], { cwd: consumer, env: npmEnv })).toMatchObject({ code: 0 });
		const args = ["install", "--no-audit", "--no-fund", "--no-package-lock", tarball];
		let installed = await exec("npm", ["--offline", ...args], { cwd: consumer, env: npmEnv });
		if (installed.code !== 0) installed = await exec("npm", args, { cwd: consumer, env: npmEnv });
		expect(installed).toMatchObject({ code: 0 });
	}, 90000);
	afterAll(async () => {
		await gateway?.stop();
		fs.rmSync(root, { recursive: true, force: true });
	});

	it("ships the compiled code, the command, the README and package.json; no sources, tests or dependencies", () => {
		expect(packedFiles).toEqual(
			expect.arrayContaining(["package.json", "README.md", "bin/pixcrawler.js", "dist/index.js", "dist/index.d.ts", "dist/cli/main.js"]),
		);
		const outside = packedFiles.filter((file) => !/^(dist\/|bin\/)/.test(file) && !["README.md", "package.json"].includes(file));
		expect(outside).toEqual([]);
		const installed = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "@pixcrawler", "sdk", "package.json"), "utf8"));
		expect(installed.dependencies).toBeUndefined();
		expect(installed.bin).toEqual({ pixcrawler: "bin/pixcrawler.js" });
		// nothing else was installed alongside it
		expect(fs.readdirSync(path.join(consumer, "node_modules")).filter((entry) => !entry.startsWith("."))).toEqual(["@pixcrawler"]);
	});

	it("loads with require() from a project that installed only it", async () => {
		const script = "const { PixCrawler, NotFoundError } = require('@pixcrawler/sdk'); console.log(PixCrawler.name, typeof NotFoundError);";
		await expect(exec(process.execPath, ["-e", script], { cwd: consumer, env: npmEnv })).resolves.toEqual({
			code: 0,
			stdout: "PixCrawler function\n",
			stderr: "",
		});
	});

	it("installs a working pixcrawler command", async () => {
		const bin = path.join(consumer, "node_modules", ".bin", "pixcrawler");
		const help = await exec(bin, ["--help"], { cwd: consumer, env: npmEnv });
		expect(help.code).toBe(0);
		expect(help.stdout).toContain("Usage: pixcrawler <command>");
		expect(help.stdout).toContain("Exit codes:");

		const env = { ...npmEnv, PIXCRAWLER_BASE_URL: gateway.url, PIXCRAWLER_API_TOKEN: token };
		const listed = await exec(bin, ["datasets", "list", "--json"], { cwd: consumer, env });
		expect(listed).toMatchObject({ code: 0, stderr: "" });
		expect(JSON.parse(listed.stdout)).toMatchObject({ total: 1, page: 1, items: [{ id: datasetId, name: "packed" }] });

		// the exit status crosses the process boundary, and the error is one line without a stack
		const missing = await exec(bin, ["datasets", "get", "no-such-dataset"], { cwd: consumer, env });
		expect(missing.code).toBe(5);
		expect(missing.stdout).toBe("");
		expect(missing.stderr).toMatch(/^error: .+ \(request id [^)]+\)\n$/);
		const npx = await exec("npx", ["--no-install", "pixcrawler", "me"], {
			cwd: consumer,
			env: { ...npmEnv, PIXCRAWLER_BASE_URL: gateway.url },
		});
		expect(npx.code).toBe(3);
	});
});
