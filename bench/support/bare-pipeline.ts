import { type ChildProcess, fork } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileTypeFromBuffer } from "file-type/core";
import sharp from "sharp";
import { Agent, request } from "undici";
import { perceptualHashFromPixels } from "../../services/crawl/phash";

/**
 * The bare pipeline the platform is measured against: what any Node program on sharp does per image,
 * with nothing around it. fetch over loopback (undici, keep-alive) → sniff the type (file-type) → one
 * shrink-on-load decode straight to 32×32 grey (sharp: the JPEG decoder scales by 1/8 while it decodes)
 * → SHA-256 → 64-bit DCT pHash of those pixels (the same arithmetic as the platform's) → write the file
 * under its hash. `concurrency` images are in flight at once.
 *
 * It runs in a child process of its own (`startBarePipeline`), so its CPU and peak RSS are its alone.
 */

export interface BareRun {
	images: number;
	bytes: number;
	seconds: number;
	/** The child's own process.cpuUsage() delta over the run (user + system), a cross-check of /proc. */
	cpuSeconds: number;
}

export async function runBarePipeline(urls: string[], outDir: string, concurrency: number): Promise<BareRun> {
	fs.mkdirSync(outDir, { recursive: true });
	const agent = new Agent({ connections: concurrency });
	const cpu = process.cpuUsage();
	const started = process.hrtime.bigint();
	let next = 0;
	let bytes = 0;
	const one = async (url: string) => {
		const response = await request(url, { dispatcher: agent });
		if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
		const chunks: Buffer[] = [];
		for await (const chunk of response.body) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const type = await fileTypeFromBuffer(body);
		if (type?.mime !== "image/jpeg") throw new Error(`${url} is not a JPEG`);
		const grey = await sharp(body, { failOn: "error" }).greyscale().resize(32, 32, { fit: "fill" }).raw().toBuffer();
		const sha256 = createHash("sha256").update(body).digest("hex");
		perceptualHashFromPixels(grey);
		await fs.promises.writeFile(path.join(outDir, `${sha256}.jpg`), body);
		bytes += body.length;
	};
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < urls.length) await one(urls[next++] as string);
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const used = process.cpuUsage(cpu);
	await agent.close();
	return { images: urls.length, bytes, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

export interface BarePipelineProcess {
	pid: number;
	run(urls: string[], outDir: string, concurrency: number): Promise<BareRun>;
	stop(): Promise<void>;
}

/** The bare pipeline in a child process, taking runs over IPC. */
export async function startBarePipeline(): Promise<BarePipelineProcess> {
	const child: ChildProcess = fork(__filename, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
	await new Promise<void>((resolve, reject) => {
		child.once("message", () => resolve());
		child.once("exit", (code) => reject(new Error(`the bare pipeline exited (${code}) before it was ready`)));
	});
	return {
		pid: child.pid as number,
		run: (urls, outDir, concurrency) =>
			new Promise<BareRun>((resolve, reject) => {
				child.once("message", (message: { run?: BareRun; error?: string }) =>
					message.run ? resolve(message.run) : reject(new Error(message.error)),
				);
				child.send({ urls, outDir, concurrency });
			}),
		stop: async () => {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once("exit", resolve));
			child.disconnect();
			await exited;
		},
	};
}

if (require.main === module) {
	process.on("message", (message: { urls: string[]; outDir: string; concurrency: number }) => {
		runBarePipeline(message.urls, message.outDir, message.concurrency).then(
			(run) => process.send?.({ run }),
			(error: Error) => process.send?.({ error: error.stack ?? String(error) }),
		);
	});
	process.on("disconnect", () => process.exit(0));
	process.send?.({ ready: true });
}
