import { createHash } from "node:crypto";
import type { SearchCursor, SearchResult } from "./sources/source";
import type { TaskSpec } from "./tasks/workflow";

/**
 * The crawl saga's decisions, as pure functions: how many images each label needs, which searches
 * and downloads a round consists of, and what the next round asks for when a label fell short.
 */

export interface Category {
	label: string;
	keywords: string[];
	urls: string[];
}

export interface BuildDefinition {
	categories: Category[];
	sources: string[];
	options: { maxImagesPerKeyword: number; licenses?: string[] };
}

/** Images in one download task: small enough to retry cheaply, big enough to keep the queue quiet. */
export const DOWNLOAD_BATCH = 8;
/** Rounds of further result pages the saga fetches for a label that validation or dedup left short. */
export const MAX_ROUNDS = 4;
/** Searches ask for a little more than they need: some results fail, are duplicates or are too small. */
const OVERFETCH = 1.5;

export interface SearchPayload {
	label: string;
	keyword: string;
	source: string;
	cursor: SearchCursor;
	want: number;
	round: number;
}

export interface DownloadItem {
	imageUrl: string;
	pageUrl?: string;
	license?: string;
	author?: string;
}

export interface DownloadPayload {
	label: string;
	keyword: string;
	source: string;
	items: DownloadItem[];
}

const searchSources = (definition: BuildDefinition) => definition.sources.filter((source) => source !== "urls");

/** A label's target: its keywords × images per keyword, plus every URL it lists when the urls source is on. */
export function labelTargets(definition: BuildDefinition): Record<string, number> {
	const urlsOn = definition.sources.includes("urls");
	const searching = searchSources(definition).length > 0;
	return Object.fromEntries(
		definition.categories.map((category) => [
			category.label,
			(searching ? category.keywords.length * definition.options.maxImagesPerKeyword : 0) + (urlsOn ? category.urls.length : 0),
		]),
	);
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Download tasks for results, keyed by their URLs so a repeated search queues nothing twice. */
export function downloadTasks(label: string, keyword: string, source: string, items: DownloadItem[]): TaskSpec[] {
	const tasks: TaskSpec[] = [];
	for (let start = 0; start < items.length; start += DOWNLOAD_BATCH) {
		const batch = items.slice(start, start + DOWNLOAD_BATCH);
		const payload: DownloadPayload = { label, keyword, source, items: batch };
		tasks.push({
			type: "crawl.download",
			key: `download:${digest(`${label}\n${batch.map((item) => item.imageUrl).join("\n")}`)}`,
			payload: { ...payload },
		});
	}
	return tasks;
}

/**
 * The first round: one search per label × (expanded) keyword × search source, each wanting its share of
 * the label's target, and downloads of the category's own URLs when the urls source is on.
 */
export function firstRound(definition: BuildDefinition, expansions: Record<string, string[]>): TaskSpec[] {
	const sources = searchSources(definition);
	const tasks: TaskSpec[] = [];
	for (const category of definition.categories) {
		if (definition.sources.includes("urls") && category.urls.length > 0) {
			tasks.push(
				...downloadTasks(
					category.label,
					"",
					"urls",
					category.urls.map((imageUrl) => ({ imageUrl })),
				),
			);
		}
		if (sources.length === 0) continue;
		for (const keyword of category.keywords) {
			const variants = expansions[keyword]?.length ? expansions[keyword] : [keyword];
			const want = Math.max(1, Math.ceil((definition.options.maxImagesPerKeyword * OVERFETCH) / (variants.length * sources.length)));
			for (const variant of variants) {
				for (const source of sources) {
					const payload: SearchPayload = { label: category.label, keyword: variant, source, cursor: null, want, round: 1 };
					tasks.push({
						type: "crawl.search",
						key: `search:1:${digest(`${category.label}\n${variant}\n${source}`)}`,
						payload: { ...payload },
					});
				}
			}
		}
	}
	return tasks;
}

/** Results a search passes on to download: licence-filtered, de-duplicated by URL, at most `want`. */
export function pickResults(results: SearchResult[], want: number, licenses: string[] = []): DownloadItem[] {
	const seen = new Set<string>();
	const picked: DownloadItem[] = [];
	for (const result of results) {
		if (picked.length >= want) break;
		if (seen.has(result.imageUrl)) continue;
		if (licenses.length > 0 && !licenses.includes(result.license ?? "unknown")) continue;
		seen.add(result.imageUrl);
		picked.push({ imageUrl: result.imageUrl, pageUrl: result.pageUrl, license: result.license, author: result.author });
	}
	return picked;
}

export interface EndedSearch {
	payload: SearchPayload;
	next: SearchCursor;
}

/**
 * The next round's searches: for each label still short of its target, the searches of the round
 * that have another page continue from it, sharing the shortfall. Empty when every label is done,
 * the sources ran dry or the rounds are used up.
 */
export function nextRound(
	round: number,
	searches: EndedSearch[],
	counts: Record<string, number>,
	targets: Record<string, number>,
): TaskSpec[] {
	if (round >= MAX_ROUNDS) return [];
	const tasks: TaskSpec[] = [];
	for (const [label, target] of Object.entries(targets)) {
		const shortfall = target - (counts[label] ?? 0);
		if (shortfall <= 0) continue;
		const continuing = searches.filter((search) => search.payload.label === label && search.next !== null && search.next !== undefined);
		if (continuing.length === 0) continue;
		const want = Math.max(1, Math.ceil((shortfall * OVERFETCH) / continuing.length));
		for (const search of continuing) {
			const payload: SearchPayload = { ...search.payload, cursor: search.next, want, round: round + 1 };
			const key = `search:${round + 1}:${digest(`${label}\n${search.payload.keyword}\n${search.payload.source}`)}`;
			tasks.push({ type: "crawl.search", key, payload: { ...payload } });
		}
	}
	return tasks;
}
