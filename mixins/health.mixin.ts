import { defineMixin } from "../lib/define-service";
import type { ComponentHealth } from "../lib/types";

export type HealthCheck = () => Promise<unknown>;

/** Runs a check with a time limit and reports it as a component status (never throws). */
export async function probe(name: string, check: HealthCheck, timeoutMs = 2000): Promise<ComponentHealth> {
	const started = process.hrtime.bigint();
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			check(),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
			}),
		]);
		return { name, status: "up", latencyMs: elapsedMs(started) };
	} catch (error) {
		return { name, status: "down", latencyMs: elapsedMs(started), detail: (error as Error).message };
	} finally {
		clearTimeout(timer);
	}
}

function elapsedMs(started: bigint): number {
	return Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
}

/** Suffix of the action every service with dependencies exposes; the gateway's readiness calls them all. */
export const HEALTH_ACTION = "checkHealth";

/**
 * Lets a service report the health of what it owns (database, storage, …). Other mixins register
 * checks with `this.addHealthCheck(name, fn)`; the gateway finds every `<service>.checkHealth`.
 */
export const HealthMixin = defineMixin({
	actions: {
		[HEALTH_ACTION]: {
			// callable from the gateway's node, never routed over HTTP
			visibility: "public",
			timeout: 5000,
			async handler(): Promise<ComponentHealth[]> {
				const checks: Map<string, HealthCheck> = this.healthChecks ?? new Map();
				return Promise.all([...checks].map(([name, check]) => probe(`${this.name}.${name}`, check)));
			},
		},
	},
	methods: {
		addHealthCheck(name: string, check: HealthCheck) {
			this.healthChecks ??= new Map<string, HealthCheck>();
			this.healthChecks.set(name, check);
		},
	},
});
