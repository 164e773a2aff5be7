import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../lib/config";
import { brokerOptions } from "../moleculer.config";
import { createDatasetService } from "../services/dataset.service";
import { createStorageService } from "../services/storage.service";
import { machine, mebibytes, table } from "./results";

/**
 * Export memory: a dataset of N small images is exported while RSS is sampled every 20 ms. Flat memory
 * means the peak above the pre-export baseline does not grow with N (the archive is streamed, never
 * held whole), so 500 and 5,000 images are measured in the same run.
 */

interface ExportRecord {
	status: string;
	storageKey?: string;
	bytes: number;
}

interface Run {
	images: number;
	archiveBytes: number;
	seconds: number;
	baselineRss: number;
	peakRss: number;
	baselineHeap: number;
	peakHeap: number;
	peakBuffers: number;
}

async function exportRun(count: number, averageBytes: number): Promise<Run> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-bench-export-"));
	const env = {
		...process.env,
		PIXCRAWLER_ENV: "test",
		PIXCRAWLER_DATA_DIR: dataDir,
		PIXCRAWLER_DB_IN_MEMORY: "true",
		PIXCRAWLER_LOG_LEVEL: "error",
	};
	const config = loadConfig(env);
	const broker = new ServiceBroker({ ...brokerOptions(config), logger: false });
	broker.createService(createStorageService(config));
	broker.createService(createDatasetService(config));
	await broker.start();
	try {
		const owner = "bench-user";
		const dataset = await broker.call<{ id: string }, unknown>(
			"dataset.createDataset",
			{
				name: "bench",
				categories: [
					{ label: "a", keywords: ["a"] },
					{ label: "b", keywords: ["b"] },
					{ label: "c", keywords: ["c"] },
				],
				sources: ["wikimedia"],
			},
			{ meta: { user: { id: owner, role: "user" } } },
		);
		for (let i = 0; i < count; i++) {
			// incompressible bytes behind a JPEG signature, 0.5-1.5× the average size
			const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(Math.round(averageBytes * (0.5 + (i % 16) / 15)))]);
			const sha256 = createHash("sha256").update(bytes).digest("hex");
			const storageKey = `datasets/${dataset.id}/${sha256}.jpg`;
			await broker.call("storage.put", {}, { stream: Readable.from([bytes]), meta: { key: storageKey, ownerId: owner } });
			await broker.call("dataset.addImage", {
				datasetId: dataset.id,
				label: ["a", "b", "c"][i % 3],
				source: "urls",
				storageKey,
				sha256,
				width: 64,
				height: 64,
				format: "jpeg",
				status: "valid",
			});
		}
		global.gc?.();
		const baseline = process.memoryUsage();
		const baselineRss = baseline.rss;
		const baselineHeap = baseline.heapUsed;
		let peakRss = baselineRss;
		let peakHeap = baselineHeap;
		let peakBuffers = baseline.arrayBuffers;
		const sampler = setInterval(() => {
			const now = process.memoryUsage();
			peakRss = Math.max(peakRss, now.rss);
			peakHeap = Math.max(peakHeap, now.heapUsed);
			peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
		}, 20);
		const started = process.hrtime.bigint();
		const created = await broker.call<{ id: string }, unknown>(
			"dataset.createExport",
			{ id: dataset.id, format: "huggingface", split: { train: 0.8, val: 0.1, test: 0.1 } },
			{ meta: { user: { id: owner, role: "user" } } },
		);
		const exportsRepository = (
			broker.getLocalService("dataset") as unknown as { exports: { findRawById(id: string): Promise<ExportRecord> } }
		).exports;
		let record: ExportRecord = { status: "queued", bytes: 0 };
		while (record.status !== "ready") {
			if (record.status === "failed") throw new Error("the export failed");
			await new Promise((resolve) => setTimeout(resolve, 20));
			record = await exportsRepository.findRawById(created.id);
		}
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		clearInterval(sampler);
		// read it back once, streaming, to be sure the archive is whole
		const body = (await broker.call("storage.read", { key: record.storageKey })) as Readable;
		let read = 0;
		await pipeline(
			body,
			new Writable({
				write: (chunk: Buffer, _encoding, done) => {
					read += chunk.length;
					done();
				},
			}),
		);
		if (read !== record.bytes) throw new Error(`the archive reads back as ${read} bytes, not ${record.bytes}`);
		return { images: count, archiveBytes: record.bytes, seconds, baselineRss, peakRss, baselineHeap, peakHeap, peakBuffers };
	} finally {
		await broker.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

export async function run(options: { quick: boolean }): Promise<string> {
	const cases = options.quick
		? [
				{ images: 50, averageBytes: 10_000 },
				{ images: 200, averageBytes: 10_000 },
				{ images: 50, averageBytes: 100_000 },
			]
		: [
				{ images: 500, averageBytes: 12_000 },
				{ images: 5000, averageBytes: 12_000 },
				{ images: 500, averageBytes: 200_000 },
			];
	const runs: Run[] = [];
	for (const { images, averageBytes } of cases) runs.push(await exportRun(images, averageBytes));
	const rows = runs.map((r) => [
		r.images,
		mebibytes(r.archiveBytes),
		r.seconds.toFixed(2),
		Math.round(r.images / r.seconds),
		mebibytes(r.baselineRss),
		mebibytes(r.peakRss),
		mebibytes(r.peakRss - r.baselineRss),
		mebibytes(r.peakHeap - r.baselineHeap),
		mebibytes(r.peakBuffers),
	]);
	const [small, many, large] = runs;
	const extra = (r: Run) => Math.max(1, r.peakRss - r.baselineRss);
	const markdown = [
		"## Export memory",
		"",
		`${new Date().toISOString().slice(0, 10)} · ${machine()}${options.quick ? " · quick run (smoke only)" : ""}`,
		"",
		"Hugging Face export with an 80/10/10 split, embedded mode, local storage; RSS sampled every 20 ms while the export runs.",
		"",
		table(
			[
				"images",
				"archive MiB",
				"seconds",
				"images/s",
				"RSS before MiB",
				"peak RSS MiB",
				"peak − before MiB",
				"heap peak − before MiB",
				"buffers peak MiB",
			],
			rows,
		),
		"",
		`Extra RSS with ${many.images / small.images}× the images (${(many.archiveBytes / small.archiveBytes).toFixed(1)}× the bytes): ${(extra(many) / extra(small)).toFixed(2)}×. Extra RSS with ${(large.archiveBytes / small.archiveBytes).toFixed(1)}× the bytes in the same number of images: ${(extra(large) / extra(small)).toFixed(2)}×.`,
		"Image bytes pass through one at a time, so the archive's size does not show in memory; what grows with the image count is the export's list of image records (a few hundred bytes each) and the heap's uncollected garbage.",
	].join("\n");
	return markdown;
}

export const name = "export-memory";
