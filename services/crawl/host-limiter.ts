/** Gives back a slot; calling it more than once has no further effect. */
export type Release = () => void;

interface Waiter {
	grant: (release: Release) => void;
}

function abortReason(signal: AbortSignal): unknown {
	return signal.reason ?? new DOMException("The operation was aborted", "AbortError");
}

/** A counting semaphore: waiters queue in order (no polling) and leave the queue when their signal aborts. */
export class Semaphore {
	private active = 0;
	private readonly waiters: Waiter[] = [];

	constructor(readonly limit: number) {
		if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a semaphore needs a positive whole limit, got ${limit}`);
	}

	/** Slots in use plus requests waiting for one. */
	get load(): number {
		return this.active + this.waiters.length;
	}

	acquire(signal?: AbortSignal): Promise<Release> {
		if (signal?.aborted) return Promise.reject(abortReason(signal));
		if (this.active < this.limit) {
			this.active++;
			return Promise.resolve(this.releaser());
		}
		return new Promise<Release>((resolve, reject) => {
			const onAbort = () => {
				const index = this.waiters.indexOf(waiter);
				if (index >= 0) this.waiters.splice(index, 1);
				reject(abortReason(signal as AbortSignal));
			};
			const waiter: Waiter = {
				grant: (release) => {
					signal?.removeEventListener("abort", onAbort);
					resolve(release);
				},
			};
			this.waiters.push(waiter);
			signal?.addEventListener("abort", onAbort, { once: true });
		});
	}

	private releaser(): Release {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = this.waiters.shift();
			// The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
			if (next) next.grant(this.releaser());
			else this.active--;
		};
	}
}

/** One semaphore per host, created on demand and dropped when idle so the map does not grow with every host seen. */
export class HostLimiter {
	private readonly hosts = new Map<string, Semaphore>();

	constructor(readonly perHost: number) {}

	async acquire(host: string, signal?: AbortSignal): Promise<Release> {
		const key = host.toLowerCase();
		let semaphore = this.hosts.get(key);
		if (!semaphore) {
			semaphore = new Semaphore(this.perHost);
			this.hosts.set(key, semaphore);
		}
		const owner = semaphore;
		try {
			const release = await owner.acquire(signal);
			return () => {
				release();
				this.forgetIfIdle(key, owner);
			};
		} catch (error) {
			this.forgetIfIdle(key, owner);
			throw error;
		}
	}

	private forgetIfIdle(key: string, semaphore: Semaphore): void {
		if (semaphore.load === 0 && this.hosts.get(key) === semaphore) this.hosts.delete(key);
	}
}
