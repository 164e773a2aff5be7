import { execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * CPU and memory of other processes, read from /proc (Linux): utime + stime of /proc/<pid>/stat cover
 * every thread of the process (the event loop, libuv's pool, libvips' threads), in clock ticks.
 */

let ticksPerSecond: number | undefined;

function clockTicks(): number {
	if (ticksPerSecond === undefined) {
		try {
			ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
		} catch {
			ticksPerSecond = 100;
		}
	}
	return ticksPerSecond;
}

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
	// the command name (field 2) may hold spaces and parentheses: count fields from the last ")"
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	const utime = Number(fields[11]);
	const stime = Number(fields[12]);
	return (utime + stime) / clockTicks();
}

function statusField(pid: number, field: string): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
	if (!match) throw new Error(`no ${field} for process ${pid}`);
	return Number(match[1]) * 1024;
}

/** Resident set size now, in bytes. */
export const rssBytes = (pid: number) => statusField(pid, "VmRSS");
/** Highest resident set size since the process started ("high water mark"), in bytes. */
export const peakRssBytes = (pid: number) => statusField(pid, "VmHWM");

/** CPU seconds of a group of processes between `start()` and `stop()`, each process's share kept apart. */
export class CpuMeter {
	private readonly before = new Map<number, number>();

	constructor(private readonly pids: number[]) {}

	start(): void {
		for (const pid of this.pids) this.before.set(pid, cpuSeconds(pid));
	}

	/** Seconds per process, in the order the pids were given. */
	read(): number[] {
		return this.pids.map((pid) => cpuSeconds(pid) - (this.before.get(pid) ?? 0));
	}
}

export interface RssSample {
	/** Seconds since sampling began. */
	at: number;
	rss: number;
	/** What the caller reports about progress at that moment (e.g. images downloaded). */
	progress: number;
}

/** Samples a process's RSS every `intervalMs`, tagging each sample with the caller's progress count. */
export class RssSampler {
	readonly samples: RssSample[] = [];
	private timer?: NodeJS.Timeout;
	private started = 0;

	constructor(
		private readonly pid: number,
		private readonly progress: () => number,
		private readonly intervalMs = 250,
	) {}

	start(): void {
		this.started = Date.now();
		const sample = () => {
			try {
				this.samples.push({ at: (Date.now() - this.started) / 1000, rss: rssBytes(this.pid), progress: this.progress() });
			} catch {
				// the process is gone; the caller notices on its own
			}
		};
		sample();
		this.timer = setInterval(sample, this.intervalMs);
	}

	stop(): RssSample[] {
		clearInterval(this.timer);
		return this.samples;
	}
}
