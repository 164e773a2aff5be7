import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { defineService } from "../../../lib/define-service";
import { NotFound } from "../../../lib/errors";
import type { Principal, RequestMeta } from "../../../lib/types";

/**
 * A product service made to be replicated: its notes live in Redis, so any replica answers for any note
 * (as every platform service does on MongoDB; on NeDB each collection has one owner process, so the
 * platform's own services cannot run as two replicas on the development machines). Its routes go
 * through the real gateway like any other: a read (`GET`, retried by the broker) and a create (`POST`,
 * never retried), each taking `workMs` so that requests are in flight when a replica dies.
 */

export const REPLICA_SERVICE = "replica-notes";

/** Where the notes' state lives in Redis, under one prefix per test run. */
export function replicaKeys(prefix: string) {
	return {
		/** note id → note (JSON) */
		notes: `${prefix}notes`,
		/** the gateway's scoped idempotency key → note id */
		byKey: `${prefix}notes-by-key`,
		/** nonce of a create → how many times a create handler started for it */
		runs: `${prefix}create-runs`,
		/** `<replica>:<get|create>:<probe or nonce>` of every handler at work, removed when it is done */
		inFlight: `${prefix}in-flight`,
	};
}

export interface Note {
	id: string;
	ownerId: string;
	text: string;
	nonce: string;
	createdBy: string;
}

/**
 * The create's one write: with the gateway's idempotency key, the note and its key are stored together
 * or, when the key already names a note (a repeat after a replica died between committing and
 * answering), that note is the answer.
 */
const COMMIT = `
if ARGV[1] ~= "" then
  local existing = redis.call("HGET", KEYS[2], ARGV[1])
  if existing then return redis.call("HGET", KEYS[1], existing) end
  redis.call("HSET", KEYS[2], ARGV[1], ARGV[2])
end
redis.call("HSET", KEYS[1], ARGV[2], ARGV[3])
return ARGV[3]`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function replicaNotesService(options: { redisUrl: string; prefix: string; replica: string; workMs: number }) {
	const keys = replicaKeys(options.prefix);
	const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });

	async function atWork<T>(marker: string, work: () => Promise<T>): Promise<T> {
		await redis.hset(keys.inFlight, `${options.replica}:${marker}`, String(Date.now()));
		try {
			return await work();
		} finally {
			await redis.hdel(keys.inFlight, `${options.replica}:${marker}`);
		}
	}

	return defineService({
		name: REPLICA_SERVICE,
		settings: { rest: "/" },
		actions: {
			get: {
				rest: "GET /replica-notes/:id",
				auth: "user",
				summary: "A note",
				params: { id: { type: "string", max: 64 }, probe: { type: "string", max: 64 } },
				handler(ctx) {
					return atWork(`get:${ctx.params.probe}`, async () => {
						await pause(options.workMs);
						const stored = await redis.hget(keys.notes, ctx.params.id);
						const note = stored ? (JSON.parse(stored) as Note) : null;
						if (!note || note.ownerId !== (ctx.meta.user as Principal).id) throw new NotFound("note", ctx.params.id);
						return { ...note, servedBy: options.replica };
					});
				},
			},
			create: {
				rest: "POST /replica-notes",
				auth: "user",
				summary: "Create a note",
				successStatus: 201,
				params: { $$strict: true, text: { type: "string", max: 200 }, nonce: { type: "string", min: 8, max: 64 } },
				async handler(ctx) {
					await redis.hincrby(keys.runs, ctx.params.nonce, 1);
					return atWork(`create:${ctx.params.nonce}`, async () => {
						await pause(options.workMs);
						const note: Note = {
							id: randomUUID(),
							ownerId: (ctx.meta.user as Principal).id,
							text: ctx.params.text,
							nonce: ctx.params.nonce,
							createdBy: options.replica,
						};
						const scope = (ctx.meta as RequestMeta).idempotencyKey ?? "";
						const stored = (await redis.eval(COMMIT, 2, keys.notes, keys.byKey, scope, note.id, JSON.stringify(note))) as string;
						return JSON.parse(stored) as Note;
					});
				},
			},
		},
		async started() {
			await redis.connect();
		},
		stopped() {
			redis.disconnect();
		},
	});
}
