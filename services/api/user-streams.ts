import { PassThrough } from "node:stream";

/** Comments keep proxies from closing an idle stream, and let us notice a client that left. */
const KEEPALIVE_MS = 10_000;

/**
 * Server-Sent Events for one user (`GET /api/v1/events`): what happens to their builds, exports and
 * webhooks, as `notification` events, until the client leaves or the stream's time is up (EventSource
 * clients reconnect on their own; a bounded lifetime lets proxies and gateway replicas recycle
 * connections). Nothing is replayed on reconnection; `GET /notifications?unread=true` lists what a
 * client missed.
 */
export class UserEventStreams {
	private readonly streams = new Map<string, Set<PassThrough>>();
	private readonly keepalive: NodeJS.Timeout;

	constructor() {
		this.keepalive = setInterval(() => this.sweep(), KEEPALIVE_MS);
		this.keepalive.unref();
	}

	get size(): number {
		let open = 0;
		for (const streams of this.streams.values()) open += streams.size;
		return open;
	}

	open(userId: string, lifetimeMs: number): PassThrough {
		const stream = new PassThrough();
		stream.write("retry: 2000\n\n");
		const own = this.streams.get(userId) ?? new Set<PassThrough>();
		own.add(stream);
		this.streams.set(userId, own);
		const timer = setTimeout(() => stream.end(), lifetimeMs);
		timer.unref();
		stream.once("close", () => {
			clearTimeout(timer);
			this.drop(userId, stream);
		});
		return stream;
	}

	publish(userId: string, event: string, data: unknown): void {
		for (const stream of this.streams.get(userId) ?? []) stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
	}

	/** Drops streams whose client went away (the response unpiped them), and pings the rest. */
	private sweep(): void {
		for (const [userId, streams] of this.streams) {
			for (const stream of streams) {
				if (stream.destroyed || stream.readableFlowing === false) {
					this.drop(userId, stream);
					stream.destroy();
					continue;
				}
				stream.write(": keepalive\n\n");
			}
		}
	}

	private drop(userId: string, stream: PassThrough): void {
		const own = this.streams.get(userId);
		if (!own) return;
		own.delete(stream);
		if (own.size === 0) this.streams.delete(userId);
	}

	close(): void {
		clearInterval(this.keepalive);
		for (const streams of this.streams.values()) for (const stream of streams) stream.end();
		this.streams.clear();
	}
}
