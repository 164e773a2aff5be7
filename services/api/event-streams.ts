import { PassThrough } from "node:stream";

/** A job change as the crawl service broadcasts it (`crawl.job.changed`). */
export interface JobChange {
	type: "progress" | "step" | "completed";
	seq: number;
	job: { id: string; datasetId: string; ownerId?: string; status: string } & Record<string, unknown>;
}

const ENDED = new Set(["done", "failed", "cancelled"]);
/** Comments keep proxies from closing an idle stream, and let us notice a client that left. */
const KEEPALIVE_MS = 10_000;

function frame(event: string, data: unknown, id?: number): string {
	return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

interface Subscriber {
	stream: PassThrough;
	matches(change: JobChange): boolean;
}

/**
 * Server-Sent Events for job progress, fed by the crawl service's broadcasts. A stream opens with the
 * job's current state (so a client reconnecting with Last-Event-ID learns everything it missed: the
 * state is cumulative) and closes after the job's completion.
 */
export class EventStreams {
	private readonly subscribers = new Set<Subscriber>();
	private readonly keepalive: NodeJS.Timeout;

	constructor() {
		this.keepalive = setInterval(() => this.sweep(), KEEPALIVE_MS);
		this.keepalive.unref();
	}

	get size(): number {
		return this.subscribers.size;
	}

	/** A stream for one job (or a dataset's jobs): the snapshot first, then every matching change. */
	open(snapshot: { seq: number; job: JobChange["job"] } | null, matches: (change: JobChange) => boolean): PassThrough {
		const stream = new PassThrough();
		stream.write("retry: 2000\n\n");
		if (snapshot) stream.write(frame("snapshot", snapshot.job, snapshot.seq));
		if (snapshot && ENDED.has(snapshot.job.status)) {
			stream.end(frame("completed", snapshot.job, snapshot.seq));
			return stream;
		}
		const subscriber = { stream, matches };
		this.subscribers.add(subscriber);
		stream.once("close", () => this.subscribers.delete(subscriber));
		return stream;
	}

	publish(change: JobChange): void {
		for (const subscriber of this.subscribers) {
			if (!subscriber.matches(change)) continue;
			subscriber.stream.write(frame(change.type, change.job, change.seq));
			if (change.type === "completed") {
				this.subscribers.delete(subscriber);
				subscriber.stream.end();
			}
		}
	}

	/** Drops streams whose client went away (the response unpiped them), and pings the rest. */
	private sweep(): void {
		for (const subscriber of this.subscribers) {
			if (subscriber.stream.destroyed || subscriber.stream.readableFlowing === false) {
				this.subscribers.delete(subscriber);
				subscriber.stream.destroy();
				continue;
			}
			subscriber.stream.write(": keepalive\n\n");
		}
	}

	close(): void {
		clearInterval(this.keepalive);
		for (const subscriber of this.subscribers) subscriber.stream.end();
		this.subscribers.clear();
	}
}
