import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Config } from "../../lib/config";
import { limitDetailsOf } from "../../lib/errors";
import type { Downloader } from "./downloader";
import { isTransient, PermanentError, type TransientError } from "./errors";
import { expandKeywords, type KeywordExpansionMode } from "./keywords";
import {
	type BuildDefinition,
	type DownloadItem,
	type DownloadPayload,
	downloadTasks,
	firstRound,
	pickResults,
	type SearchPayload,
} from "./saga";
import { sourceFor } from "./sources";
import type { SearchResult } from "./sources/source";
import type { TaskType } from "./tasks/registry";
import type { TaskSpec } from "./tasks/workflow";
import { validateImage } from "./validation";

/** What a worker holds while it runs a task: the claim the saga owner granted. */
export interface Claim {
	task: {
		id: string;
		type: TaskType;
		key: string;
		payload: Record<string, unknown>;
		attempts: number;
		result: Record<string, unknown> | null;
	};
	job: { id: string; datasetId: string; ownerId: string };
	definition: BuildDefinition & {
		options: BuildDefinition["options"] & {
			minWidth: number;
			minHeight: number;
			formats: string[];
			validationLevel: "basic" | "standard" | "strict";
			dedupThreshold: number;
			keywordExpansion?: KeywordExpansionMode;
		};
	};
}

export interface Outcome {
	result?: Record<string, unknown>;
	spawn?: TaskSpec[];
	progress?: Record<string, number>;
}

export interface WorkerTools {
	config: Config["crawl"];
	downloader: Downloader;
	call<T = unknown>(action: string, params: unknown, options?: Record<string, unknown>): Promise<T>;
	signal: AbortSignal;
}

/** A failure that still carries what the task got done, so the next attempt does not do it again. */
export type PartialFailure = Error & { partial?: Record<string, unknown>; progress?: Record<string, number>; retryAfterMs?: number };

/** Variations per keyword: each is searched on every source, so they multiply the requests. */
const VARIATIONS_PER_KEYWORD = 4;
/** Result pages one search task reads at most before it hands the rest to a later round. */
const PAGES_PER_SEARCH = 5;

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const EXTENSIONS: Record<string, string> = { jpeg: "jpg", png: "png", webp: "webp", gif: "gif", avif: "avif" };

async function plan(claim: Claim, tools: WorkerTools): Promise<Outcome> {
	const { definition } = claim;
	const expansions: Record<string, string[]> = {};
	const mode = definition.options.keywordExpansion ?? "none";
	for (const category of definition.categories) {
		for (const keyword of category.keywords) {
			if (expansions[keyword]) continue;
			const expansion = await expandKeywords(keyword, mode, { config: tools.config, max: VARIATIONS_PER_KEYWORD, signal: tools.signal });
			expansions[keyword] = expansion.keywords;
		}
	}
	const spawn = firstRound(definition, expansions);
	const count = (type: TaskType) => spawn.filter((task) => task.type === type).length;
	return { spawn, result: { searches: count("crawl.search"), downloads: count("crawl.download"), expansions } };
}

async function search(claim: Claim, tools: WorkerTools): Promise<Outcome> {
	const payload = claim.task.payload as unknown as SearchPayload;
	const licenses = claim.definition.options.licenses ?? [];
	const source = sourceFor(payload.source, tools.config);
	const results: SearchResult[] = [];
	let cursor = payload.cursor;
	for (let pages = 0; pages < PAGES_PER_SEARCH && results.length < payload.want; pages++) {
		const page = await source.search(
			{ keyword: payload.keyword, cursor, pageSize: payload.want, licenses, signal: tools.signal },
			tools.downloader,
		);
		results.push(...page.results);
		cursor = page.next;
		if (cursor === null || page.results.length === 0) break;
	}
	const items = pickResults(results, payload.want, licenses);
	return {
		spawn: downloadTasks(payload.label, payload.keyword, payload.source, items),
		result: { found: results.length, queued: items.length, next: cursor },
		progress: { found: items.length },
	};
}

async function download(claim: Claim, tools: WorkerTools): Promise<Outcome> {
	const payload = claim.task.payload as unknown as DownloadPayload;
	const done = new Set<string>((claim.task.result?.doneUrls as string[] | undefined) ?? []);
	const progress = { downloaded: 0, valid: 0, duplicates: 0, rejected: 0 };
	let retryLater: TransientError | null = null;
	for (const item of payload.items) {
		tools.signal.throwIfAborted();
		if (done.has(item.imageUrl)) continue;
		try {
			const outcome = await keepImage(claim, payload, item, tools, progress);
			if (outcome) progress[outcome] += 1;
			done.add(item.imageUrl);
		} catch (error) {
			if (tools.signal.aborted) throw error;
			// a plan limit (images per day, storage bytes) refuses every further image of the build: stop here,
			// keeping what this batch did, and let the saga owner stop the build (crawl.failTask's limitReached)
			if (limitDetailsOf(error)) throw Object.assign(error as Error, { partial: { doneUrls: [...done] }, progress }) as PartialFailure;
			if (!isTransient(error)) throw error;
			// the others in the batch still get their chance; this one is retried with the task
			retryLater = error as TransientError;
		}
	}
	if (retryLater) {
		throw Object.assign(retryLater, { partial: { doneUrls: [...done] }, progress }) as PartialFailure;
	}
	return { result: { images: payload.items.length }, progress };
}

/**
 * One image from URL to dataset: download, validate, look for an exact or near copy already kept,
 * store, record. Permanent failures are recorded as rejected images with their reason; transient ones
 * are thrown so the task is retried. Answers which counter moved (null: nothing new was recorded).
 */
async function keepImage(
	claim: Claim,
	payload: DownloadPayload,
	item: DownloadItem,
	tools: WorkerTools,
	progress: { downloaded: number },
): Promise<"valid" | "duplicates" | "rejected" | null> {
	const { job, definition } = claim;
	const record = {
		datasetId: job.datasetId,
		label: payload.label,
		...(payload.keyword ? { keyword: payload.keyword.slice(0, 200) } : {}),
		source: payload.source,
		sourceUrl: item.imageUrl.slice(0, 4096),
		...(item.pageUrl ? { pageUrl: item.pageUrl.slice(0, 4096) } : {}),
		...(item.license ? { license: item.license } : {}),
		...(item.author ? { author: item.author.slice(0, 500) } : {}),
	};
	const add = async (fields: Record<string, unknown>) =>
		(await tools.call<{ created: boolean }>("dataset.addImage", { ...record, ...fields })).created;

	let body: Buffer;
	try {
		body = (await tools.downloader.download(item.imageUrl, { signal: tools.signal })).body;
	} catch (error) {
		if (!(error instanceof PermanentError)) throw error;
		// no bytes to name it by: the URL stands in, so a repeated failure is still one record
		return (await add({ sha256: sha256(`url:${item.imageUrl}`), status: "rejected", reason: error.reason })) ? "rejected" : null;
	}
	progress.downloaded += 1;
	const checked = await validateImage(body, {
		level: definition.options.validationLevel,
		formats: definition.options.formats,
		minWidth: definition.options.minWidth,
		minHeight: definition.options.minHeight,
		maxPixels: tools.config.maxPixels,
		maxBytes: tools.config.maxImageBytes,
	});
	if (!checked.ok) return (await add({ sha256: sha256(body), status: "rejected", reason: checked.reason })) ? "rejected" : null;

	const image = { sha256: checked.sha256, phash: checked.phash, width: checked.width, height: checked.height, format: checked.format };
	const near = await tools.call<{ id: string; sha256: string } | null>("dataset.findNearDuplicate", {
		datasetId: job.datasetId,
		phash: checked.phash,
		threshold: definition.options.dedupThreshold,
	});
	if (near?.sha256 === checked.sha256) return "duplicates";
	if (near) return (await add({ ...image, status: "duplicate", duplicateOf: near.id, reason: "near_duplicate" })) ? "duplicates" : null;

	const storageKey = `datasets/${job.datasetId}/${checked.sha256}.${EXTENSIONS[checked.format] ?? checked.format}`;
	await tools.call(
		"storage.put",
		{},
		{ stream: Readable.from([checked.bytes]), meta: { key: storageKey, ownerId: job.ownerId, size: checked.bytes.length } },
	);
	try {
		return (await add({ ...image, storageKey, status: "valid" })) ? "valid" : "duplicates";
	} catch (error) {
		// the dataset was deleted, or a plan limit refused the image, while it was on its way: its file must not outlive it
		if ((error as { code?: number }).code === 404 || limitDetailsOf(error)) {
			await tools.call("storage.delete", { key: storageKey, ownerId: job.ownerId }).catch(() => undefined);
		}
		throw error;
	}
}

/** Every task type a crawl worker runs; finalize runs in the saga owner. */
export const WORKER_HANDLERS: Partial<Record<TaskType, (claim: Claim, tools: WorkerTools) => Promise<Outcome>>> = {
	"crawl.plan": plan,
	"crawl.search": search,
	"crawl.download": download,
};
