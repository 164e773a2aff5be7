import vm from "node:vm";
import Redis from "ioredis";
import type { CapturingLogger } from "../../support/log-capture";

/** What ioredis prints (console.error) when a client emits 'error' with nobody listening. */
export const IOREDIS_UNHANDLED = "Unhandled error event";

interface EmittingClient {
	status: string;
	manuallyClosing?: boolean;
	listenerCount(event: string): number;
	silentEmit(event: string, arg?: unknown): unknown;
}

/**
 * Collects what would crash or pollute a production process: unhandled rejections and uncaught
 * exceptions (on the real process object: the `process` jest gives a test is a copy whose listeners the
 * runtime never calls) and ioredis clients emitting 'error' with nobody listening. ioredis prints those as
 * "[ioredis] Unhandled error event" only for errors of its own realm — under jest, socket errors come
 * from Node's realm and are dropped silently — so the client's emit is watched itself, and the console too.
 */
export function watchForUnhandled() {
	const real = vm.runInThisContext("process") as NodeJS.Process;
	const problems: string[] = [];
	const onRejection = (reason: unknown) => problems.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason)}`);
	const onException = (error: Error) => problems.push(`uncaughtException: ${error.stack ?? error.message}`);
	real.on("unhandledRejection", onRejection);
	real.on("uncaughtException", onException);
	const client = Redis.prototype as unknown as EmittingClient;
	const silentEmit = client.silentEmit;
	client.silentEmit = function (this: EmittingClient, event: string, arg?: unknown) {
		// the cases ioredis reports: an error while nobody listens, on a client not ended or being closed on purpose
		if (event === "error" && this.listenerCount("error") === 0 && this.status !== "end" && !this.manuallyClosing) {
			problems.push(`ioredis ${IOREDIS_UNHANDLED}: ${(arg as Error)?.message ?? String(arg)}`);
		}
		return silentEmit.call(this, event, arg);
	};
	const consoleError = jest.spyOn(console, "error");
	const consoleWarn = jest.spyOn(console, "warn");
	return {
		problems(): string[] {
			const printed = [...consoleError.mock.calls, ...consoleWarn.mock.calls]
				.map((args) => args.map(String).join(" "))
				.filter((line) => line.includes(IOREDIS_UNHANDLED));
			return [...problems, ...printed];
		},
		stop() {
			real.off("unhandledRejection", onRejection);
			real.off("uncaughtException", onException);
			client.silentEmit = silentEmit;
			consoleError.mockRestore();
			consoleWarn.mockRestore();
		},
	};
}

export interface AccessLogEntry {
	requestId: string;
	method: string;
	path: string;
	status: number;
	durationMs: number;
}

/**
 * The gateway's access-log entries (one per request, at info): `durationMs` is the gateway's own
 * handling time, from moleculer-web taking the request to the last byte of the answer.
 */
export function accessLog(logger: CapturingLogger): AccessLogEntry[] {
	return logger.lines
		.filter((line) => line.startsWith("info {") && line.endsWith("} request"))
		.map((line) => JSON.parse(line.slice("info ".length, line.lastIndexOf("}") + 1)) as AccessLogEntry);
}

/** Lines that name an unhandled error, whatever their level (a broker's captured log). */
export function unhandledLines(logger: CapturingLogger): string[] {
	return logger.lines.filter((line) => /unhandled|uncaught/i.test(line));
}
