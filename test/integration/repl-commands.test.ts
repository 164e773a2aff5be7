import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPL_COMMANDS, replOptions } from "../../bin/repl/commands";
import type { CommandArgs, ReplCommand } from "../../bin/repl/commands/command";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { createDatasetService } from "../../services/dataset.service";
import { createNotifyService } from "../../services/notify.service";
import { createStorageService } from "../../services/storage.service";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { freePort } from "../support/processes";

jest.setTimeout(60000);

/** The PixCrawler commands of `npm run repl`, run against a platform with a build that left a dead task. */
describe("REPL commands", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-repl-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let jobId: string;

	const commandNamed = (name: string) => REPL_COMMANDS.find((command) => command.command.split(" ")[0] === name) as ReplCommand;
	async function run(name: string, args: Partial<CommandArgs> = {}) {
		let printed = "";
		await commandNamed(name).run(gateway.broker, { options: {}, ...args }, (text) => {
			printed += text;
		});
		return printed;
	}
	const api = (method: string, route: string, token: string, body?: unknown) =>
		fetch(`${gateway.url}/api/v1${route}`, {
			method,
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: body === undefined ? undefined : JSON.stringify(body),
		}).then((response) => response.json() as Promise<Record<string, string>>);

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 4 });
		const env = {
			PIXCRAWLER_DATA_DIR: dataDir,
			CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
			CRAWL_RETRY_BASE_MS: "20",
			CRAWL_RETRY_CAP_MS: "100",
			CRAWL_MAX_ATTEMPTS: "2",
			CRAWL_SCHEDULER_INTERVAL_MS: "50",
			CRAWL_CONNECT_TIMEOUT_MS: "500",
			...web.env(),
		};
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [
				createStorageService(config),
				createDatasetService(config),
				createCrawlService(config),
				createCrawlWorkerService(config),
				createNotifyService(config),
			],
			waitFor: ["crawl.build", "crawl.adminJob"],
		});
		const alice = await gateway.tokenFor("alice");
		const unreachable = `http://127.0.0.1:${await freePort()}/gone.jpg`;
		const dataset = await api("POST", "/datasets", alice, {
			name: "repl",
			categories: [{ label: "cat", urls: [unreachable, `${web.url}/img/cat/1.jpg`] }],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		});
		jobId = (await api("POST", `/datasets/${dataset.id}/build`, alice)).jobId;
		await waitUntil(async () => ["done", "failed"].includes((await api("GET", `/jobs/${jobId}`, alice)).status), 30000, "the build");
	});
	afterAll(async () => {
		await gateway.stop();
		await web.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("are registered with moleculer-repl under their own names", () => {
		const options = replOptions();
		expect(options.customCommands.map((command) => command.command)).toEqual(["health", "job <id>", "dead-tasks", "requeue <taskId>"]);
		for (const command of options.customCommands) {
			expect(command.description).toMatch(/^PixCrawler: /);
			expect(typeof command.action).toBe("function");
		}
	});

	it("health lists the transporter and every service's own checks", async () => {
		const printed = await run("health");
		expect(printed).toMatch(/^COMPONENT\s+STATUS/);
		expect(printed).toMatch(/^transporter \(in-process\)\s+up/m);
		expect(printed).toMatch(/^dataset\.db\s+up/m);
		expect(printed).toMatch(/^storage\.store\s+up/m);
		expect(printed).toMatch(/^service crawl-worker\s+up/m);
		expect(printed).toMatch(/^service notify\s+up/m);
		expect(printed).toMatch(/every component is up\n$/);
	});

	it("job shows any user's build with its tasks by type and status", async () => {
		const printed = await run("job", { id: jobId });
		expect(printed).toContain(jobId);
		expect(printed).toMatch(/owner\s+alice/);
		expect(printed).toMatch(/crawl\.download\s+dead\s+1/);
		expect(printed).toMatch(/crawl\.plan\s+done\s+1/);
		expect(printed).toMatch(/progress\s+found \d+, downloaded 1, valid 1/);
		expect(printed).toMatch(/crawl\.finalize\s+done/);
	});

	it("dead-tasks lists the task that ran out of attempts, and requeue runs it again", async () => {
		const listed = await run("dead-tasks", { options: { job: jobId } });
		expect(listed).toMatch(/1 dead task\(s\)/);
		const taskId = listed.split("\n")[1].split(/\s+/)[0];
		expect(listed).toMatch(/crawl\.download\s+2\/2/);
		const requeued = await run("requeue", { taskId });
		expect(requeued).toMatch(
			new RegExp(`^requeued ${taskId} \\(crawl\\.download, job ${jobId}\\): now (queued|waiting|running|retrying|dead)`),
		);
		await expect(run("job", { id: "000000000000000000000000" })).rejects.toThrow(/not found/);
	});
});
