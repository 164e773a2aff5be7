import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { PixCrawler } from "../client";
import { AuthenticationError } from "../errors";
import type { ApiToken, CreateExportRequest, Dataset, DatasetSort, Export, Job, JobLog, License, Page, Scope, Task, User } from "../types";
import type { Command, CommandContext, OptionSpec } from "./context";
import { credentialsPath, removeCredentials, saveCredentials } from "./credentials";
import { UsageError } from "./exit-codes";
import { details, formatBytes, Progress, table } from "./output";

// ---------------------------------------------------------------- option helpers

const PAGE_OPTIONS: Record<string, OptionSpec> = {
	page: { type: "string", value: "<n>", description: "page number, from 1 (default 1)" },
	"page-size": { type: "string", value: "<n>", description: "items per page, 1-100 (default 20)" },
};

const TIMEOUT_OPTION: OptionSpec = { type: "string", value: "<seconds>", description: "longest wait (default 3600)" };

function text(context: CommandContext, name: string): string | undefined {
	const value = context.options[name];
	return typeof value === "string" ? value : undefined;
}

function required(context: CommandContext, name: string, command: string): string {
	const value = text(context, name);
	if (value === undefined || value.trim() === "") throw new UsageError(`${command} needs --${name}`, command);
	return value;
}

function integer(context: CommandContext, name: string, command: string, min = 1): number | undefined {
	const value = text(context, name);
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value.trim()) || Number(value) < min) {
		throw new UsageError(`--${name} must be a whole number of at least ${min}, not '${value}'`, command);
	}
	return Number(value);
}

function list(value: string | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	return value
		.split(",")
		.map((item) => item.trim())
		.filter(Boolean);
}

function pageParams(context: CommandContext, command: string) {
	return { page: integer(context, "page", command), pageSize: integer(context, "page-size", command) };
}

function timeoutMs(context: CommandContext, command: string): number {
	return (integer(context, "timeout", command) ?? 3600) * 1000;
}

function pageFooter(page: Page<unknown>): string {
	const pages = Math.max(1, Math.ceil(page.total / Math.max(1, page.pageSize)));
	return page.total > page.items.length ? `page ${page.page} of ${pages}, ${page.total} in all\n` : "";
}

const sum = (values: Record<string, number> | null | undefined) => Object.values(values ?? {}).reduce((total, value) => total + value, 0);

/** An output path's default: the export's file name in the working directory. */
function outPath(context: CommandContext, record: Export): string {
	const given = text(context, "out");
	return context.resolvePath(given ?? (basename(record.fileName || "") || `${record.id}.zip`));
}

// ---------------------------------------------------------------- renderers

function datasetDetails(dataset: Dataset): string {
	const categories = dataset.categories.map((category) => {
		const inputs = [...(category.keywords ?? []), ...(category.urls?.length ? [`${category.urls.length} URL(s)`] : [])];
		return `${category.label} (${inputs.join(", ")})`;
	});
	return details([
		["id", dataset.id],
		["name", dataset.name],
		["description", dataset.description],
		["status", dataset.status],
		["sources", dataset.sources],
		["categories", categories.join("; ")],
		["valid images", dataset.stats?.valid],
		["duplicates", dataset.stats?.duplicates],
		["rejected", dataset.stats?.rejected],
		["size", formatBytes(dataset.stats?.bytes)],
		["current job", dataset.currentJobId],
		["created", dataset.createdAt],
		["updated", dataset.updatedAt],
	]);
}

function datasetTable(items: Dataset[]): string {
	return table(
		["id", "name", "status", "valid", "labels", "updated"],
		items.map((dataset) => [
			dataset.id,
			dataset.name,
			dataset.status,
			dataset.stats?.valid ?? 0,
			dataset.categories.map((category) => category.label),
			dataset.updatedAt,
		]),
	);
}

function jobDetails(job: Job): string {
	const counts = Object.entries(job.counts ?? {}).map(([label, count]) => `${label} ${count}/${job.targets?.[label] ?? "?"}`);
	return details([
		["id", job.id],
		["dataset", job.datasetId],
		["status", job.status],
		["step", job.step],
		["round", job.round],
		["valid", `${job.progress.valid} of ${sum(job.targets)} wanted`],
		["per label", counts.join(", ")],
		["found", job.progress.found],
		["downloaded", job.progress.downloaded],
		["duplicates", job.progress.duplicates],
		["rejected", job.progress.rejected],
		["failed tasks", job.progress.failedTasks],
		["error", job.error],
		["created", job.createdAt],
		["started", job.startedAt],
		["finished", job.finishedAt],
	]);
}

function exportDetails(record: Export): string {
	const split = record.split ? `train ${record.split.train}, val ${record.split.val}, test ${record.split.test}` : null;
	return details([
		["id", record.id],
		["dataset", record.datasetId],
		["format", record.format],
		["split", split],
		["status", record.status],
		["images", record.imageCount],
		["size", formatBytes(record.bytes)],
		["sha256", record.sha256],
		["error", record.error],
	]);
}

function userDetails(user: User): string {
	return details([
		["id", user.id],
		["email", user.email],
		["name", user.name],
		["role", user.role],
		["active", user.active],
		["last login", user.lastLoginAt],
		["created", user.createdAt],
	]);
}

function tokenTable(items: ApiToken[]): string {
	return table(
		["id", "name", "prefix", "scopes", "expires", "last used", "revoked"],
		items.map((token) => [token.id, token.name, token.prefix, token.scopes, token.expiresAt, token.lastUsedAt, token.revokedAt]),
	);
}

// ---------------------------------------------------------------- login

async function readTokenFromStdin(context: CommandContext): Promise<string> {
	const stdin = context.io.stdin;
	if (!stdin) throw new UsageError("login needs --token, or the token on standard input", "login");
	if (stdin.isTTY) context.io.stderr.write("Paste your API token (pxc_…) and press Enter: ");
	let received = "";
	for await (const chunk of stdin) {
		received += chunk.toString();
		if (received.includes("\n")) break;
	}
	const token = received.split(/\r?\n/)[0]?.trim() ?? "";
	if (!token) throw new UsageError("login needs --token, or the token on standard input", "login");
	return token;
}

// ---------------------------------------------------------------- the commands

export const COMMANDS: Command[] = [
	{
		words: ["login"],
		args: [],
		summary: "check an API token and save it for later commands",
		description:
			"Checks the token with GET /auth/me (it needs the account:read scope) and saves it, with the base URL, to\n" +
			"$XDG_CONFIG_HOME/pixcrawler/credentials.json (~/.config/pixcrawler/credentials.json when unset), readable\n" +
			"by you only (mode 0600).\n" +
			"Without --token the token is read from the first line of standard input.",
		options: {},
		examples: ["pixcrawler login --token pxc_…", "pixcrawler login --base-url https://pixcrawler.example.org < token.txt"],
		async run(context) {
			const token = text(context, "token") ?? (await readTokenFromStdin(context));
			const baseUrl = await context.baseUrl();
			const user = await new PixCrawler({ token, baseUrl, maxRetries: 1 }).me({ signal: context.signal });
			const path = await saveCredentials(context.io.env, { token, baseUrl, email: user.email, savedAt: new Date().toISOString() });
			context.print({ user, baseUrl, credentialsPath: path }, () => `Logged in to ${baseUrl} as ${user.email}; token saved to ${path}\n`);
		},
	},
	{
		words: ["logout"],
		args: [],
		summary: "remove the saved credentials",
		options: {},
		async run(context) {
			const path = credentialsPath(context.io.env);
			const removed = await removeCredentials(context.io.env);
			context.print({ removed, credentialsPath: path }, () => (removed ? `Removed ${path}\n` : `Not logged in (no ${path})\n`));
		},
	},
	{
		words: ["me"],
		args: [],
		summary: "show the account the token belongs to",
		options: {},
		async run(context) {
			const user = await (await context.client()).me({ signal: context.signal });
			context.print(user, userDetails);
		},
	},

	// datasets
	{
		words: ["datasets", "list"],
		args: [],
		summary: "list your datasets",
		description: "One page by default; --all walks every page (--json then prints {items, total}).",
		options: {
			...PAGE_OPTIONS,
			all: { type: "boolean", description: "every dataset, across all pages" },
			status: { type: "string", value: "<status>", description: "draft, queued, running, ready, failed or cancelled" },
			name: { type: "string", value: "<text>", description: "only names containing the text" },
			sort: { type: "string", value: "<field>", description: "createdAt, updatedAt or name; prefix - for descending" },
		},
		examples: ["pixcrawler datasets list --status ready", "pixcrawler datasets list --all --json | jq '.items[].id'"],
		async run(context) {
			const pix = await context.client();
			const filters = {
				status: text(context, "status") as Dataset["status"] | undefined,
				name: text(context, "name"),
				sort: text(context, "sort") as DatasetSort | undefined,
			};
			if (context.options.all) {
				const items: Dataset[] = [];
				for await (const dataset of pix.datasets.iterate({ ...filters, pageSize: 100 }, { signal: context.signal })) items.push(dataset);
				context.print({ items, total: items.length }, (all) => datasetTable(all.items));
				return;
			}
			const page = await pix.datasets.list({ ...filters, ...pageParams(context, "datasets list") }, { signal: context.signal });
			context.print(page, (result) => datasetTable(result.items) + pageFooter(result));
		},
	},
	{
		words: ["datasets", "get"],
		args: ["<datasetId>"],
		summary: "show a dataset",
		options: {},
		async run(context) {
			const dataset = await (await context.client()).datasets.get(context.args[0], { signal: context.signal });
			context.print(dataset, datasetDetails);
		},
	},
	{
		words: ["datasets", "create"],
		args: [],
		summary: "define a dataset from a JSON file",
		description:
			'The file holds the definition the API takes: {"name", "categories": [{"label", "keywords"}], "sources", "options"}.\n' +
			"Use -f - to read it from standard input. The dataset starts as a draft; build it with `datasets build`.",
		options: { file: { type: "string", short: "f", value: "<file>", description: "the definition (JSON), or - for standard input" } },
		examples: ["pixcrawler datasets create -f cats-vs-dogs.json", "pixcrawler datasets create -f def.json --json | jq -r .id"],
		async run(context) {
			const file = required(context, "file", "datasets create");
			let source: string;
			try {
				if (file === "-") {
					if (!context.io.stdin) throw new Error("no standard input");
					source = "";
					for await (const chunk of context.io.stdin) source += chunk.toString();
				} else {
					source = await readFile(context.resolvePath(file), "utf8");
				}
			} catch (error) {
				throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, "datasets create");
			}
			let definition: unknown;
			try {
				definition = JSON.parse(source);
			} catch (error) {
				throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`, "datasets create");
			}
			if (!definition || typeof definition !== "object" || Array.isArray(definition)) {
				throw new UsageError(`${file} must hold a JSON object`, "datasets create");
			}
			const pix = await context.client();
			const dataset = await pix.datasets.create(definition as Parameters<typeof pix.datasets.create>[0], { signal: context.signal });
			context.print(dataset, (created) => `Created dataset ${created.id} (${created.name}, ${created.status})\n`);
		},
	},
	{
		words: ["datasets", "build"],
		args: ["<datasetId>"],
		summary: "start a build; --watch follows it until the dataset is ready",
		description:
			"Without --watch it prints the job id and returns. With --watch it shows valid images against the targets\n" +
			"and the current step, and ends when the dataset is ready (exit 0) or the build failed or was cancelled (exit 1);\n" +
			"--json then prints the ready dataset.",
		options: { watch: { type: "boolean", short: "w", description: "follow the build until it ends" }, timeout: TIMEOUT_OPTION },
		examples: ["pixcrawler datasets build ds_123 --watch"],
		async run(context) {
			const pix = await context.client();
			const datasetId = context.args[0];
			const started = await pix.datasets.build(datasetId, { signal: context.signal });
			if (!context.options.watch) {
				context.print(
					started,
					(value) => `Build started: job ${value.jobId} (${value.status}); follow it with \`pixcrawler jobs get ${value.jobId}\`\n`,
				);
				return;
			}
			const bar = new Progress(context.io.stderr, `build ${started.jobId}`, !context.quiet);
			bar.update(0, null, started.status);
			let dataset: Dataset;
			try {
				dataset = await pix.datasets.waitUntilReady(datasetId, {
					signal: context.signal,
					timeoutMs: timeoutMs(context, "datasets build"),
					onProgress: (job: Job) => bar.update(job.progress.valid, sum(job.targets) || null, job.step ?? job.status),
				});
			} finally {
				bar.finish();
			}
			context.print(dataset, (ready) => `Dataset ${ready.id} is ${ready.status}: ${ready.stats?.valid ?? 0} valid images\n`);
		},
	},
	{
		words: ["datasets", "cancel"],
		args: ["<datasetId>"],
		summary: "cancel the dataset's running build",
		options: {},
		async run(context) {
			const job = await (await context.client()).datasets.cancel(context.args[0], { signal: context.signal });
			context.print(job, (value) => `Job ${value.id} is ${value.status}\n`);
		},
	},
	{
		words: ["datasets", "delete"],
		args: ["<datasetId>"],
		summary: "delete a dataset with its images, files and exports",
		options: {},
		async run(context) {
			const datasetId = context.args[0];
			await (await context.client()).datasets.delete(datasetId, { signal: context.signal });
			context.print({ deleted: datasetId }, () => `Deleted dataset ${datasetId}\n`);
		},
	},

	// exports
	{
		words: ["export"],
		args: ["<datasetId>"],
		summary: "write an archive of a dataset and download it",
		description:
			"Starts the export, shows its progress, then downloads the archive and checks its SHA-256 before it\n" +
			"is put at --out (default: the export's file name in the current directory). --json prints\n" +
			"{export, path, bytes, sha256}.",
		options: {
			format: {
				type: "string",
				value: "<format>",
				description: "imagefolder, huggingface, csv, json, yaml, txt, coco or yolo",
			},
			split: { type: "string", value: "<train,val,test>", description: "fractions that add up to 1, e.g. 0.8,0.1,0.1" },
			seed: { type: "string", value: "<n>", description: "seed of the split (default 42)" },
			licences: { type: "string", value: "<list>", description: "only images under these licences, e.g. cc0,cc-by" },
			out: { type: "string", short: "o", value: "<file>", description: "where to save the archive" },
			timeout: TIMEOUT_OPTION,
		},
		examples: ["pixcrawler export ds_123 --format huggingface --split 0.8,0.1,0.1 --out pets.zip"],
		async run(context) {
			const command = "export";
			const request: CreateExportRequest = { format: required(context, "format", command) as CreateExportRequest["format"] };
			const split = text(context, "split");
			if (split !== undefined) {
				const parts = split.split(",").map((part) => Number(part.trim()));
				if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part) || split.trim() === "")) {
					throw new UsageError(`--split takes three fractions train,val,test such as 0.8,0.1,0.1, not '${split}'`, command);
				}
				const seed = integer(context, "seed", command, 0);
				request.split = { train: parts[0], val: parts[1], test: parts[2], ...(seed === undefined ? {} : { seed }) };
			} else if (text(context, "seed") !== undefined) {
				throw new UsageError("--seed goes with --split", command);
			}
			const licences = list(text(context, "licences"));
			if (licences) request.licences = licences as License[];
			const wait = timeoutMs(context, command);

			const pix = await context.client();
			const created = await pix.exports.create(context.args[0], request, { signal: context.signal });
			const writing = new Progress(context.io.stderr, `export ${created.id}`, !context.quiet);
			let ready: Export;
			try {
				ready = await pix.exports.waitUntilReady(created.id, {
					signal: context.signal,
					timeoutMs: wait,
					intervalMs: 500,
					onProgress: (current) => writing.update(current.progress?.done ?? 0, current.progress?.total || null, current.status),
				});
			} finally {
				writing.finish();
			}
			const result = await download(context, pix, ready);
			context.print({ export: ready, ...result }, (value) => `Saved ${value.path} (${formatBytes(value.bytes)}, sha256 ${value.sha256})\n`);
		},
	},
	{
		words: ["download"],
		args: ["<exportId>"],
		summary: "download a ready export, checking its SHA-256",
		description: "Saves to --out (default: the export's file name in the current directory). --json prints {path, bytes, sha256}.",
		options: { out: { type: "string", short: "o", value: "<file>", description: "where to save the archive" } },
		examples: ["pixcrawler download exp_123 --out pets.zip"],
		async run(context) {
			const pix = await context.client();
			const record = await pix.exports.get(context.args[0], { signal: context.signal });
			const result = await download(context, pix, record);
			context.print(result, (value) => `Saved ${value.path} (${formatBytes(value.bytes)}, sha256 ${value.sha256})\n`);
		},
	},

	{
		words: ["exports", "list"],
		args: ["<datasetId>"],
		summary: "list a dataset's exports, newest first",
		options: { ...PAGE_OPTIONS },
		async run(context) {
			const page = await (await context.client()).exports.list(context.args[0], pageParams(context, "exports list"), {
				signal: context.signal,
			});
			context.print(
				page,
				(result) =>
					table(
						["id", "format", "status", "images", "size", "created"],
						result.items.map((record) => [
							record.id,
							record.format,
							record.status,
							record.imageCount,
							formatBytes(record.bytes),
							record.createdAt,
						]),
					) + pageFooter(result),
			);
		},
	},
	{
		words: ["exports", "get"],
		args: ["<exportId>"],
		summary: "show an export",
		options: {},
		async run(context) {
			const record = await (await context.client()).exports.get(context.args[0], { signal: context.signal });
			context.print(record, exportDetails);
		},
	},

	// jobs
	{
		words: ["jobs", "list"],
		args: [],
		summary: "list your builds",
		options: {
			...PAGE_OPTIONS,
			dataset: { type: "string", value: "<datasetId>", description: "only this dataset's builds" },
			status: { type: "string", value: "<status>", description: "queued, running, done, failed or cancelled" },
		},
		async run(context) {
			const page = await (await context.client()).jobs.list(
				{
					datasetId: text(context, "dataset"),
					status: text(context, "status") as Job["status"] | undefined,
					...pageParams(context, "jobs list"),
				},
				{ signal: context.signal },
			);
			context.print(
				page,
				(result) =>
					table(
						["id", "dataset", "status", "step", "valid", "created"],
						result.items.map((job) => [
							job.id,
							job.datasetId,
							job.status,
							job.step,
							`${job.progress.valid}/${sum(job.targets)}`,
							job.createdAt,
						]),
					) + pageFooter(result),
			);
		},
	},
	{
		words: ["jobs", "get"],
		args: ["<jobId>"],
		summary: "show a build's status and progress",
		options: {},
		async run(context) {
			const job = await (await context.client()).jobs.get(context.args[0], { signal: context.signal });
			context.print(job, jobDetails);
		},
	},
	{
		words: ["jobs", "tasks"],
		args: ["<jobId>"],
		summary: "list a build's tasks",
		options: {
			...PAGE_OPTIONS,
			type: { type: "string", value: "<type>", description: "e.g. crawl.search, crawl.download, crawl.finalize" },
			status: { type: "string", value: "<status>", description: "waiting, queued, running, retrying, done, failed, dead or cancelled" },
		},
		async run(context) {
			const page = await (await context.client()).jobs.tasks(
				context.args[0],
				{
					type: text(context, "type"),
					status: text(context, "status") as Task["status"] | undefined,
					...pageParams(context, "jobs tasks"),
				},
				{ signal: context.signal },
			);
			context.print(
				page,
				(result) =>
					table(
						["id", "type", "status", "attempts", "key", "last error"],
						result.items.map((task) => [task.id, task.type, task.status, `${task.attempts}/${task.maxAttempts}`, task.key, task.lastError]),
					) + pageFooter(result),
			);
		},
	},
	{
		words: ["jobs", "logs"],
		args: ["<jobId>"],
		summary: "show a build's log, newest first",
		options: { ...PAGE_OPTIONS },
		async run(context) {
			const page = await (await context.client()).jobs.logs(context.args[0], pageParams(context, "jobs logs"), { signal: context.signal });
			context.print(
				page,
				(result) =>
					table(
						["time", "level", "message"],
						result.items.map((log: JobLog) => [log.createdAt, log.level, log.message]),
					) + pageFooter(result),
			);
		},
	},
	{
		words: ["jobs", "retry"],
		args: ["<jobId>"],
		summary: "requeue a build's failed and dead tasks",
		options: {},
		async run(context) {
			const jobId = context.args[0];
			const result = await (await context.client()).jobs.retry(jobId, { signal: context.signal });
			context.print(result, (value) => `Requeued ${value.requeued} task(s) of job ${jobId}\n`);
		},
	},
	{
		words: ["jobs", "cancel"],
		args: ["<jobId>"],
		summary: "cancel a build",
		options: {},
		async run(context) {
			const job = await (await context.client()).jobs.cancel(context.args[0], { signal: context.signal });
			context.print(job, (value) => `Job ${value.id} is ${value.status}\n`);
		},
	},

	// tokens
	{
		words: ["tokens", "list"],
		args: [],
		summary: "list your API tokens (never their secrets)",
		options: { ...PAGE_OPTIONS },
		async run(context) {
			const page = await (await context.client()).tokens.list(pageParams(context, "tokens list"), { signal: context.signal });
			context.print(page, (result) => tokenTable(result.items) + pageFooter(result));
		},
	},
	{
		words: ["tokens", "create"],
		args: [],
		summary: "create an API token; its secret is shown this once",
		options: {
			name: { type: "string", value: "<name>", description: "what the token is for" },
			scopes: {
				type: "string",
				value: "<list>",
				description: "comma-separated: account:read, datasets:read, datasets:write, crawl:run, exports:read, tokens:manage",
			},
			"expires-in-days": { type: "string", value: "<days>", description: "1-3650; without it the token does not expire" },
		},
		examples: ["pixcrawler tokens create --name 'training box' --scopes datasets:read,exports:read --expires-in-days 90"],
		async run(context) {
			const command = "tokens create";
			const name = required(context, "name", command);
			const scopes = list(required(context, "scopes", command)) as Scope[];
			const expiresInDays = integer(context, "expires-in-days", command);
			const created = await (await context.client()).tokens.create(
				{ name, scopes, ...(expiresInDays === undefined ? {} : { expiresInDays }) },
				{ signal: context.signal },
			);
			context.print(
				created,
				(value) =>
					`${details([
						["id", value.id],
						["name", value.name],
						["scopes", value.scopes],
						["expires", value.expiresAt],
						["token", value.token],
					])}Store the token now: it cannot be shown again.\n`,
			);
		},
	},
	{
		words: ["tokens", "revoke"],
		args: ["<tokenId>"],
		summary: "revoke an API token",
		options: {},
		async run(context) {
			const tokenId = context.args[0];
			await (await context.client()).tokens.revoke(tokenId, { signal: context.signal });
			context.print({ revoked: tokenId }, () => `Revoked token ${tokenId}\n`);
		},
	},
];

/** Downloads a ready export to --out with a byte-count bar. */
async function download(context: CommandContext, pix: PixCrawler, record: Export) {
	const path = outPath(context, record);
	const bar = new Progress(context.io.stderr, `download ${record.id}`, !context.quiet, formatBytes);
	try {
		const result = await pix.exports.download(record.id, path, {
			signal: context.signal,
			onProgress: (progress: { bytes: number; total: number | null }) => bar.update(progress.bytes, progress.total ?? record.bytes ?? null),
		});
		bar.finish();
		return result;
	} catch (error) {
		bar.finish();
		throw error;
	}
}

export function missingToken(): AuthenticationError {
	return new AuthenticationError("no API token: pass --token, set PIXCRAWLER_API_TOKEN or run `pixcrawler login`");
}
