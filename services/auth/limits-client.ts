import { LRUCache } from "lru-cache";
import type { Config } from "../../lib/config";
import { defaultLimits, type PlanLimits } from "./limits";

/** How long a service trusts what it learnt about a user's limits: a superuser's change applies within it. */
export const LIMITS_CACHE_MS = 5000;

interface Caller {
	call<T>(action: string, params: unknown): Promise<T>;
}

interface Logger {
	warn(...args: unknown[]): void;
}

/**
 * A user's limits as the services that enforce them read them: asked from the auth service (which
 * holds the overrides) and kept for a few seconds, so storing an image does not cost a call each time.
 * When auth cannot answer, the configured defaults apply: a plan limit never blocks work because a
 * neighbour is down, and never lifts because of it either.
 */
export class PlanLimitsLookup {
	private readonly defaults: PlanLimits;
	private readonly cache = new LRUCache<string, PlanLimits>({ max: 10000, ttl: LIMITS_CACHE_MS });

	constructor(
		config: Config,
		private readonly logger?: Logger,
	) {
		this.defaults = defaultLimits(config);
	}

	async of(caller: Caller, userId: string): Promise<PlanLimits> {
		const cached = this.cache.get(userId);
		if (cached) return cached;
		let limits: PlanLimits;
		try {
			limits = await caller.call<PlanLimits>("auth.limitsOf", { userId });
		} catch (error) {
			// an id the auth service does not know (a deleted user's leftover work) keeps the defaults quietly
			if ((error as { type?: string }).type !== "NOT_FOUND")
				this.logger?.warn({ userId, err: error }, "plan limits unavailable; the defaults apply");
			limits = this.defaults;
		}
		this.cache.set(userId, limits);
		return limits;
	}
}
