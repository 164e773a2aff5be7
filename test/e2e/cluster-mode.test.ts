import { createHash } from "node:crypto";
import fs from "node:fs";
import { Cluster, CLUSTER_DEBUG as DEBUG, deleteStreams, MACHINE_NATS, SHUTDOWN_TIMEOUT_MS, slowUrls, withDump } from "../support/cluster";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { waitUntil } from "../support/gateway";
import { privateNats, type ServerProcess } from "../support/processes";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("cluster mode on the machine's NATS: seven processes", () => {
	let web: FixtureWeb;
	let cluster: Cluster | undefined;
	let token: string;

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 30 });
		cluster = new Cluster(MACHINE_NATS, web);
		await withDump(
			() => cluster,
			() => cluster?.start() ?? Promise.resolve(),
		)();
		token = await cluster.signUp();
	}, 60000);

	afterAll(async () => {
		if (DEBUG && cluster) console.log(cluster.dump());
		try {
			await cluster?.stop();
		} finally {
			await web.stop();
			if (cluster) await deleteStreams(MACHINE_NATS, cluster.namespace);
		}
	});

	it(
		"builds a dataset from a search source and a URL list, lists and stores its images, and exports an archive whose sha256 matches",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as Cluster;
				const dogUrls = [1, 2, 3, 5, 6].map((n) => `${web.url}/img/dog/${n}.jpg`);
				const { datasetId, jobId } = await c.createAndBuild(token, {
					name: "cluster mode",
					categories: [
						{ label: "cat", keywords: ["cat"] },
						{ label: "dog", urls: dogUrls },
					],
					sources: ["wikimedia", "urls"],
					options: { maxImagesPerKeyword: 10, minWidth: 32, minHeight: 32, keywordExpansion: "none" },
				});
				const job = await c.waitForEnd(token, jobId, 60000);
				expect(job).toMatchObject({ status: "done", targets: { cat: 10, dog: 5 } });
				expect(job.counts.cat).toBeGreaterThanOrEqual(10);
				expect(job.counts.dog).toBe(5);

				const valid = await c.images(token, datasetId);
				expect(valid).toHaveLength(job.counts.cat + job.counts.dog);
				expect(new Set(valid.map((image) => image.sha256)).size).toBe(valid.length);
				// an image served through its signed link (gateway → storage process) has the bytes its hash names
				const image = Buffer.from(await (await fetch(`${c.base}${valid[0].url.replace(/^https?:\/\/[^/]+/, "")}`)).arrayBuffer());
				expect(sha256(image)).toBe(valid[0].sha256);

				const usage = await c.usage(token);
				expect(usage.objects).toBe(valid.length);
				expect(usage.bytes).toBe(valid.reduce((sum, kept) => sum + kept.bytes, 0));

				const created = await c.call<{ id: string }>("POST", `/datasets/${datasetId}/exports`, token, { format: "imagefolder" });
				expect(created.status).toBe(202);
				type Export = { id: string; status: string; sha256: string; bytes: number; url: string };
				let exported = created.body as Export;
				await waitUntil(
					async () => {
						exported = (await c.call<Export>("GET", `/exports/${created.body.id}`, token)).body;
						return exported.status === "ready" || exported.status === "failed";
					},
					30000,
					"the export",
				);
				expect(exported.status).toBe("ready");
				// streamed from the storage process through the dataset process and the gateway
				const download = await fetch(`${c.base}/api/v1/exports/${exported.id}/download`, { headers: { Authorization: `Bearer ${token}` } });
				expect(download.status).toBe(200);
				const archive = Buffer.from(await download.arrayBuffer());
				expect(archive.length).toBe(exported.bytes);
				expect(sha256(archive)).toBe(exported.sha256);
				expect(download.headers.get("etag")).toBe(`"${exported.sha256}"`);
				// and through its signed link, straight from the storage process
				const signed = await fetch(`${c.base}${exported.url.replace(/^https?:\/\/[^/]+/, "")}`);
				expect(sha256(Buffer.from(await signed.arrayBuffer()))).toBe(exported.sha256);
				expect((await c.usage(token)).objects).toBe(valid.length + 1);
			},
		),
		90000,
	);

	it(
		"SIGTERM to a busy crawl worker: it finishes what it holds, takes nothing new, exits 0 within the shutdown timeout, and the build completes with every image stored once",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as Cluster;
				const [stopping, staying] = c.workers;
				// a user of its own: storage usage counts this build's files only
				const owner = await c.signUp();
				// 96 slow images in 12 batches of 8, each batch fetched one image after another (about 2 s);
				// JetStream hands out 8 at a time (max_ack_pending), so 4 batches wait while the first 8 run
				// a fixed set of pictures, at least 14 pHash bits apart pairwise: random names would now and then
				// draw two within the near-duplicate threshold (8), and the build would rightly keep only one
				const urls = slowUrls(web, "sigterm", 96, 150);
				const { datasetId, jobId } = await c.createAndBuild(owner, {
					name: "sigterm",
					categories: [
						{ label: "cat", urls: urls.slice(0, 48) },
						{ label: "dog", urls: urls.slice(48) },
					],
					sources: ["urls"],
					options: { minWidth: 16, minHeight: 16 },
				});
				const ours = new Set(urls);
				const fetchedBy = (worker: number) =>
					new Set(
						web
							.requests("/slow/body/")
							.filter((request) => request.headers["user-agent"] === c.userAgent(worker) && ours.has(`${web.url}${request.path}`))
							.map((request) => `${web.url}${request.path}`),
					);
				await waitUntil(() => fetchedBy(1).size > 0 && fetchedBy(2).size > 0, 30000, "both workers to be downloading");

				const running = (await c.tasks(owner, jobId)).filter((task) => task.type === "crawl.download" && task.status === "running");
				const fetchedAtSignal = fetchedBy(1);
				const signalledAt = Date.now();
				stopping.child.kill("SIGTERM");
				const { code, signal } = await stopping.exited;
				const stoppedAfterMs = Date.now() - signalledAt;
				expect({ code, signal }).toEqual({ code: 0, signal: null });
				expect(stoppedAfterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);

				// well before JetStream's ack wait (60 s): the batches pushed to the worker while it drained came back at once
				const job = await c.waitForEnd(owner, jobId, 20000);
				const endedAfterMs = Date.now() - signalledAt;
				expect(job).toMatchObject({ status: "done", counts: { cat: 48, dog: 48 } });
				const valid = await c.images(owner, datasetId);
				expect(valid).toHaveLength(96);
				expect(new Set(valid.map((image) => image.sha256)).size).toBe(96);
				expect((await c.usage(owner)).objects).toBe(96);

				const tasks = await c.tasks(owner, jobId);
				expect(tasks.filter((task) => task.status !== "done")).toEqual([]);
				// the batches the worker held at the signal: it finished them itself while draining (no redelivery)
				const held = running.filter((task) => task.payload.items?.some((item) => fetchedAtSignal.has(item.imageUrl)));
				expect(held.length).toBeGreaterThan(0);
				const fetchedByStopped = fetchedBy(1);
				for (const task of held) {
					expect(tasks.find((final) => final.id === task.id)).toMatchObject({ status: "done", attempts: 1 });
					for (const item of task.payload.items ?? []) expect(fetchedByStopped.has(item.imageUrl)).toBe(true);
				}
				// and took nothing new: every image it fetched belongs to a batch already running at the signal
				const runningUrls = new Set(running.flatMap((task) => (task.payload.items ?? []).map((item) => item.imageUrl)));
				expect([...fetchedByStopped].filter((url) => !runningUrls.has(url))).toEqual([]);
				expect(new Set([...fetchedByStopped, ...fetchedBy(2)]).size).toBe(96);
				if (DEBUG) console.log(JSON.stringify({ stoppedAfterMs, endedAfterMs, running: running.length, held: held.length }));
				expect(staying.child.exitCode).toBeNull();
			},
		),
		90000,
	);
});

describe("cluster mode through a NATS outage (a private nats-server)", () => {
	// The machine's NATS serves other test files running at the same time: this outage happens on a
	// nats-server of this test's own, restarted on the same port with the same JetStream store directory.
	let nats: ServerProcess;
	let web: FixtureWeb;
	let cluster: Cluster | undefined;
	let token: string;

	beforeAll(async () => {
		nats = await privateNats();
		web = await startFixtureWeb();
		cluster = new Cluster(`nats://127.0.0.1:${nats.port}`, web);
		await withDump(
			() => cluster,
			() => cluster?.start() ?? Promise.resolve(),
		)();
		token = await cluster.signUp();
	}, 60000);

	afterAll(async () => {
		if (DEBUG && cluster) console.log(cluster.dump());
		try {
			await cluster?.stop();
		} finally {
			await web.stop();
			await nats.stop();
			if (nats.storeDir) fs.rmSync(nats.storeDir, { recursive: true, force: true });
		}
	});

	it(
		"stops being ready while NATS is down, recovers without a restart once it is back, and completes the build with every image stored once",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as Cluster;
				const before = c.alive();
				const urls = slowUrls(web, "outage", 32, 400);
				const { datasetId, jobId } = await c.createAndBuild(token, {
					name: "outage",
					categories: [
						{ label: "cat", urls: urls.slice(0, 16) },
						{ label: "dog", urls: urls.slice(16) },
					],
					sources: ["urls"],
					options: { minWidth: 16, minHeight: 16 },
				});
				// mid-flight: the workers are in the middle of their batches (each takes 8 × 400 ms)
				await waitUntil(() => web.requests("/slow/body/400/outage-").length >= 4, 30000, "downloads to begin");
				expect((await c.job(token, jobId)).status).toBe("running");

				const downAt = Date.now();
				// a crash, not a goodbye; the restarted server finds its JetStream streams in the same store directory
				await nats.stop("SIGKILL");
				let readiness = { status: 0, failed: [] as string[] };
				await waitUntil(
					async () => {
						const answer = await fetch(`${c.base}/health/ready`);
						readiness = { status: answer.status, failed: ((await answer.json()) as { failed: string[] }).failed };
						return answer.status === 503;
					},
					4500,
					"readiness to fail",
				);
				expect(readiness.failed).toContain("transporter");
				expect((await fetch(`${c.base}/health`)).status).toBe(200);
				// the rest of the five seconds of outage (pacing, not an assertion)
				await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5000 - (Date.now() - downAt))));
				expect((await fetch(`${c.base}/health`)).status).toBe(200);
				expect(c.alive()).toEqual(before);

				await nats.start();
				const backAt = Date.now();
				await waitUntil(async () => (await fetch(`${c.base}/health/ready`)).status === 200, 10000, "readiness to recover");
				const recoveredAfterMs = Date.now() - backAt;
				expect(c.alive()).toEqual(before);
				expect(before.every((member) => member.running)).toBe(true);

				const job = await c.waitForEnd(token, jobId, 90000);
				expect(job).toMatchObject({ status: "done", counts: { cat: 16, dog: 16 } });
				const valid = await c.images(token, datasetId);
				expect(valid).toHaveLength(32);
				expect(new Set(valid.map((image) => image.sha256)).size).toBe(32);
				expect((await c.usage(token)).objects).toBe(32);
				const tasks = await c.tasks(token, jobId);
				expect(tasks.filter((task) => task.status !== "done")).toEqual([]);
				expect(c.alive()).toEqual(before);
				if (DEBUG) console.log(JSON.stringify({ recoveredAfterMs, attempts: tasks.map(({ type, attempts }) => `${type}: ${attempts}`) }));
			},
		),
		120000,
	);
});
