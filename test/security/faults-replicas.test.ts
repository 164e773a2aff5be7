import { randomUUID } from "node:crypto";
import { waitUntil } from "../support/gateway";
import { type HttpAnswer, ReplicaCluster, withDump } from "./support/replicas-cluster";
import type { Note } from "./support/replicas-service";

/**
 * kill -9 of one of two replicas while the gateway is busy with both. The gateway (compiled platform,
 * its own process) learns of the death only from missed heartbeats (heartbeatTimeout 15 s, checked every
 * 15 s); until then the calls it sent to the dead replica wait. Then reads are retried on the survivor
 * (IdempotentRetries: GET routes are idempotent), creates are not (the broker cannot know whether the
 * dead replica had committed one), and a create repeated with its Idempotency-Key yields one note.
 */

const WORK_MS = 250;
const GET_LOOPS = 4;
const CREATE_LOOPS = 4;
const VICTIM = "replica-1";
const SURVIVOR = "replica-2";

interface Sent {
	kind: "get" | "create";
	/** The GET's probe or the create's nonce: how the replicas' in-flight markers name the request. */
	tag: string;
	key?: string;
	body?: { text: string; nonce: string };
	startedAt: number;
	endedAt?: number;
	answer?: HttpAnswer;
	done: Promise<void>;
}

describe("a replica killed with SIGKILL under load (two replicas, a gateway and auth on NATS)", () => {
	let cluster: ReplicaCluster | undefined;
	let token: string;
	const seeded: Note[] = [];

	beforeAll(async () => {
		cluster = new ReplicaCluster(WORK_MS);
		await withDump(
			() => cluster,
			async () => {
				const c = cluster as ReplicaCluster;
				await c.start();
				token = await c.signUp();
				for (let n = 0; n < 6; n++) {
					const created = await c.call("POST", "/replica-notes", {
						token,
						body: { text: `seed ${n}`, nonce: randomUUID() },
						headers: { "Idempotency-Key": randomUUID() },
					});
					expect(created.status).toBe(201);
					seeded.push(created.body as unknown as Note);
				}
				// both replicas are on the gateway's balancer before the load starts
				const servedBy = new Set<unknown>();
				await waitUntil(
					async () => {
						const read = await c.call("GET", `/replica-notes/${seeded[0].id}?probe=${randomUUID()}`, { token });
						servedBy.add(read.body?.servedBy);
						return servedBy.has(VICTIM) && servedBy.has(SURVIVOR);
					},
					20000,
					"reads served by both replicas",
				);
			},
		)();
	}, 90000);

	afterAll(async () => {
		await cluster?.stop();
	});

	it(
		"answers every read (retried on the survivor), never runs a create twice, and turns each key into exactly one note",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as ReplicaCluster;
				const sent: Sent[] = [];
				let stopping = false;

				const send = (record: Omit<Sent, "done" | "startedAt">, route: string, method: string, headers?: Record<string, string>) => {
					const entry = { ...record, startedAt: Date.now() } as Sent;
					entry.done = c.call(method, route, { token, body: record.body, headers }).then((answer) => {
						entry.answer = answer;
						entry.endedAt = Date.now();
					});
					sent.push(entry);
					return entry.done;
				};
				const reads = async () => {
					while (!stopping) {
						const probe = randomUUID();
						const note = seeded[Math.floor(Math.random() * seeded.length)];
						await send({ kind: "get", tag: probe }, `/replica-notes/${note.id}?probe=${probe}`, "GET");
					}
				};
				const creates = async () => {
					while (!stopping) {
						const body = { text: `note ${sent.length}`, nonce: randomUUID() };
						const key = randomUUID();
						await send({ kind: "create", tag: body.nonce, key, body }, "/replica-notes", "POST", { "Idempotency-Key": key });
					}
				};
				const loops = [...Array.from({ length: GET_LOOPS }, reads), ...Array.from({ length: CREATE_LOOPS }, creates)];

				// mid-request: the victim is working on a read and on a create when it dies
				await new Promise((resolve) => setTimeout(resolve, 1000));
				await waitUntil(
					async () => {
						// begun less than half their work ago, so they are still at it when the signal lands
						const fresh = (await c.inFlight()).filter(({ startedAt }) => Date.now() - startedAt < WORK_MS / 2).map(({ marker }) => marker);
						return (
							fresh.some((marker) => marker.startsWith(`${VICTIM}:get:`)) && fresh.some((marker) => marker.startsWith(`${VICTIM}:create:`))
						);
					},
					10000,
					"the victim to be in the middle of a read and a create",
				);
				const killedAt = Date.now();
				await c.crash(VICTIM);
				// whatever the victim had started and never finished: it died with these in hand
				const stranded = (await c.inFlight()).map(({ marker }) => marker).filter((marker) => marker.startsWith(`${VICTIM}:`));
				const strandedTags = new Set(stranded.map((marker) => marker.split(":")[2]));
				const inFlightAtKill = sent.filter((entry) => entry.startedAt <= killedAt && entry.endedAt === undefined);
				await Promise.all(inFlightAtKill.map((entry) => entry.done));
				const settledAfterMs = Date.now() - killedAt;
				// and the load goes on against the survivor alone for a while
				await new Promise((resolve) => setTimeout(resolve, 2000));
				stopping = true;
				await Promise.all(loops);

				const gets = sent.filter((entry) => entry.kind === "get");
				const creates_ = sent.filter((entry) => entry.kind === "create");
				const strandedGets = gets.filter((entry) => strandedTags.has(entry.tag));
				const strandedCreates = creates_.filter((entry) => strandedTags.has(entry.tag));
				expect(strandedGets.length).toBeGreaterThan(0);
				expect(strandedCreates.length).toBeGreaterThan(0);

				// reads: every one answered 200; those the victim held were retried on the survivor
				expect(gets.filter((entry) => entry.answer?.status !== 200).map((entry) => entry.answer)).toEqual([]);
				for (const entry of strandedGets) expect(entry.answer?.body?.servedBy).toBe(SURVIVOR);
				expect(
					gets.filter((entry) => entry.startedAt > killedAt + settledAfterMs).every((entry) => entry.answer?.body?.servedBy === SURVIVOR),
				).toBe(true);

				// creates: 201, or a clear 503 problem when the replica died under it — never retried on the survivor
				const runs = async (nonce: string) => Number((await c.state?.hget(c.keys.runs, nonce)) ?? 0);
				const notesOf = async () => Object.values((await c.state?.hgetall(c.keys.notes)) ?? {}).map((stored) => JSON.parse(stored) as Note);
				let notes = await notesOf();
				const notesWith = (nonce: string) => notes.filter((note) => note.nonce === nonce);
				const runsBefore = new Map<string, number>();
				for (const entry of creates_) {
					const status = entry.answer?.status;
					expect([201, 503]).toContain(status);
					// a create sent to the dead replica before the gateway knew never ran anywhere (0); none ran twice
					const ran = await runs(entry.tag);
					runsBefore.set(entry.tag, ran);
					if (status === 201 || strandedTags.has(entry.tag)) expect(ran).toBe(1);
					else expect(ran).toBeLessThanOrEqual(1);
					if (status === 201) {
						expect(notesWith(entry.tag)).toEqual([entry.answer?.body]);
					} else {
						expect(entry.answer?.headers.get("content-type")).toMatch(/^application\/problem\+json/);
						expect(entry.answer?.body).toMatchObject({ status: 503, type: expect.stringContaining("unavailable") });
						expect(entry.answer?.headers.get("retry-after")).toBeDefined();
						// it failed before committing, or committed exactly once: never a copy
						expect(notesWith(entry.tag).length).toBeLessThanOrEqual(ran);
					}
				}
				for (const entry of strandedCreates) expect(entry.answer?.status).toBe(503);

				// every create repeated with its key: the kept answer again, or — after a 503 — one run on the survivor
				for (const entry of creates_) {
					const repeat = await c.call("POST", "/replica-notes", {
						token,
						body: entry.body,
						headers: { "Idempotency-Key": entry.key as string },
					});
					expect(repeat.status).toBe(201);
					if (entry.answer?.status === 201) {
						expect(repeat.headers.get("idempotent-replayed")).toBe("true");
						expect(repeat.body).toEqual(entry.answer.body);
						expect(await runs(entry.tag)).toBe(1);
					} else {
						expect(repeat.headers.get("idempotent-replayed")).toBeNull();
						expect(repeat.body).toMatchObject({ nonce: entry.tag });
						expect(await runs(entry.tag)).toBe((runsBefore.get(entry.tag) ?? 0) + 1);
					}
				}
				notes = await notesOf();
				for (const entry of creates_) expect(notesWith(entry.tag)).toHaveLength(1);
				expect(notes).toHaveLength(seeded.length + creates_.length);

				expect(c.member(SURVIVOR).child.exitCode).toBeNull();
				expect(c.member("api").child.exitCode).toBeNull();
				if (process.env.FAULTS_DEBUG) {
					console.log(
						JSON.stringify({
							settledAfterMs,
							gets: gets.length,
							creates: creates_.length,
							strandedGets: strandedGets.length,
							strandedCreates: strandedCreates.length,
							refused: creates_.filter((entry) => entry.answer?.status === 503).length,
						}),
					);
				}
			},
		),
		90000,
	);
});
