import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { machine, mebibytes, table } from "./results";
import { startImageHost } from "./support/image-host";
import { cacheDir, imagePaths, imageSet, SIZES } from "./support/images";
import { startNats } from "./support/nats";
import { startPlatform } from "./support/platform";
import { CpuMeter, type RssSample, RssSampler } from "./support/proc";

/**
 * Soak: one long build (10,000 distinct 0.3 MP JPEGs from the local image host, `urls` source) on NATS
 * JetStream with the crawl worker in its own process, its RSS sampled every 250 ms and tagged with the
 * job's progress. The worker holds nothing per image once the image is stored, so after warm-up its RSS
 * must stay flat: growth under 10 % from the warm-up window to the end.
 */

/**
 * The window that stands for "after warm-up". The first fifth of the images is warm-up: measured here, the
 * worker's heap settles at its working size only after about 2,000 images (V8 sizes its generations to the
 * allocation rate), and RSS moves ±10 % with each major collection, hence medians over windows.
 */
const WARM_FROM = 0.2;
const WARM_TO = 0.3;
/** The window that stands for "the end". */
const END_FROM = 0.9;
const GROWTH_LIMIT = 0.1;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
}

/** Median RSS of the samples taken while progress was within [from, to] of the total; the nearest sample when none was. */
function windowRss(samples: RssSample[], total: number, from: number, to: number): number {
	const inside = samples.filter((s) => s.progress >= from * total && s.progress <= to * total);
	if (inside.length > 0) return median(inside.map((s) => s.rss));
	const middle = ((from + to) / 2) * total;
	const nearest = [...samples].sort((a, b) => Math.abs(a.progress - middle) - Math.abs(b.progress - middle))[0];
	return nearest?.rss ?? Number.NaN;
}

export async function run(options: { quick: boolean }): Promise<string> {
	const log = (line: string) => process.stderr.write(`[soak] ${line}\n`);
	const count = options.quick ? 200 : 10_000;
	const set = await imageSet(SIZES.small, count, log);
	const host = await startImageHost(path.dirname(cacheDir(SIZES.small)));
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-bench-soak-"));
	const nats = await startNats();
	let progress = 0;
	let seconds = 0;
	let cpu: number[] = [];
	let workerSamples: RssSample[] = [];
	let gatewaySamples: RssSample[] = [];
	let stats: { valid: number; duplicates: number; rejected: number } = { valid: 0, duplicates: 0, rejected: 0 };
	try {
		const platform = await startPlatform({ dir: runDir, natsUrl: nats.url, workers: 1 });
		try {
			const { api } = platform;
			const worker = platform.workers[0];
			if (!worker) throw new Error("no crawl worker process");
			const urls = imagePaths(set).map((route) => `${host.url}${route}`);
			const datasetId = await api.urlsDataset("soak", urls, 4);
			const workerRss = new RssSampler(worker.pid, () => progress);
			const gatewayRss = new RssSampler(platform.gateway.pid, () => progress);
			const meter = new CpuMeter([platform.gateway.pid, worker.pid]);
			workerRss.start();
			gatewayRss.start();
			meter.start();
			const started = Date.now();
			let nextLog = 0;
			const job = await api.waitForJob(await api.build(datasetId), (state) => {
				progress = state.progress.downloaded ?? progress;
				if (progress >= nextLog) {
					log(`${progress}/${count} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
					nextLog += count / 10;
				}
			});
			seconds = (Date.now() - started) / 1000;
			cpu = meter.read();
			workerSamples = workerRss.stop();
			gatewaySamples = gatewayRss.stop();
			if (job.status !== "done") throw new Error(`the soak build ended ${job.status}: ${JSON.stringify(job.error)}`);
			stats = (await api.dataset(datasetId)).stats;
		} finally {
			await platform.stop();
		}
	} finally {
		await nats.stop();
		await host.stop();
		fs.rmSync(runDir, { recursive: true, force: true });
	}

	// per tenth of the images: median, lowest and highest RSS sampled while they were downloaded
	const rows = Array.from({ length: 10 }, (_, i) => {
		const within = (samples: RssSample[]) =>
			samples.filter((s) => s.progress > (i / 10) * count && s.progress <= ((i + 1) / 10) * count).map((s) => s.rss);
		const worker = within(workerSamples);
		const gateway = within(gatewaySamples);
		const spread = (values: number[]) =>
			values.length === 0 ? "–" : `${mebibytes(median(values))} (${mebibytes(Math.min(...values))}–${mebibytes(Math.max(...values))})`;
		return [`${Math.round((i / 10) * count) + 1}–${Math.round(((i + 1) / 10) * count)}`, worker.length, spread(worker), spread(gateway)];
	});
	// least-squares slope of worker RSS against images after warm-up: a leak shows as a steady climb
	const settled = workerSamples.filter((s) => s.progress >= WARM_FROM * count);
	const meanX = settled.reduce((sum, s) => sum + s.progress, 0) / settled.length;
	const meanY = settled.reduce((sum, s) => sum + s.rss, 0) / settled.length;
	const slope =
		settled.reduce((sum, s) => sum + (s.progress - meanX) * (s.rss - meanY), 0) /
		settled.reduce((sum, s) => sum + (s.progress - meanX) ** 2, 0);
	const warm = windowRss(workerSamples, count, WARM_FROM, WARM_TO);
	const end = windowRss(workerSamples, count, END_FROM, 1);
	const peakAfterWarm = Math.max(...workerSamples.filter((s) => s.progress >= WARM_FROM * count).map((s) => s.rss));
	const growth = end / warm - 1;
	const gatewayGrowth = windowRss(gatewaySamples, count, END_FROM, 1) / windowRss(gatewaySamples, count, WARM_FROM, WARM_TO) - 1;
	const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
	return [
		"## Soak",
		"",
		`${new Date().toISOString().slice(0, 10)} · ${machine()}${options.quick ? " · quick run (smoke only)" : ""}`,
		"",
		`One build of ${count} distinct ${SIZES.small.name} JPEGs (${mebibytes(set.bytes)} MiB, \`urls\` source in 4 labels, default options) on a private nats-server with JetStream: ` +
			"gateway, auth, dataset, storage and crawl in one process, the crawl worker in another. " +
			`RSS of both processes read from /proc every 250 ms, each sample tagged with the job's downloaded count (from its Server-Sent Events). Warm-up is the first ${WARM_FROM * 100} % of the images (the worker's heap reaches its working size); ` +
			`growth compares the median worker RSS over ${WARM_FROM * 100}–${WARM_TO * 100} % of the images with the median over the last ${Math.round((1 - END_FROM) * 100)} %.`,
		"",
		`${count} images in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} images/s), ${(cpu[0] ?? 0).toFixed(1)} + ${(cpu[1] ?? 0).toFixed(1)} CPU s (gateway + crawl), kept ${stats.valid}, duplicates ${stats.duplicates}, rejected ${stats.rejected}.`,
		"",
		table(["images", "samples", "crawl worker RSS MiB: median (min–max)", "gateway process RSS MiB: median (min–max)"], rows),
		"",
		`Crawl worker RSS: ${mebibytes(warm)} MiB after warm-up, ${mebibytes(end)} MiB at the end, peak ${mebibytes(peakAfterWarm)} MiB, trend ${Number.isFinite(slope) ? mebibytes(slope * 1000) : "–"} MiB per 1,000 images: growth ${percent(growth)} (target < ${percent(GROWTH_LIMIT)}: ${options.quick ? "not judged on a quick run" : growth < GROWTH_LIMIT ? "met" : "**missed**"}).`,
		`The gateway process (for reference, no target) grew ${percent(gatewayGrowth)} over the same windows (no target applies to it): NeDB keeps every record (images, stored objects) in memory, so this process grows with the data. Before the dataset counters moved out of the dataset document ("Pipeline throughput", fix 3) each stored image rewrote the 10,000-URL definition and this process grew 60.5 % (2026-11-26, previous full run).`,
	].join("\n");
}

export const name = "soak";
