import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * The compiled entry point, started exactly as in production (`npm run build` first). BENCH_GATEWAY_ENTRY
 * names another build's entry point (say, a copy of dist/ from before a change) to measure it the same way.
 */
export const ENTRY = process.env.BENCH_GATEWAY_ENTRY
	? path.resolve(process.env.BENCH_GATEWAY_ENTRY)
	: path.join(__dirname, "../../dist/bin/pixcrawler.js");
const ROOT = path.join(__dirname, "../..");

const CLOCK_TICKS = (() => {
	try {
		return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
	} catch {
		return 100;
	}
})();

/** CPU seconds (user + system) a process has used so far, from /proc; undefined when it cannot be read. */
export function cpuSeconds(pid: number | undefined): number | undefined {
	if (pid === undefined) return undefined;
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
		// the command name (field 2) may hold spaces: count from the closing parenthesis
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
	} catch {
		return undefined;
	}
}

/** The pid of the machine's nats-server, when one runs (its CPU is part of every call over the bus). */
export function natsServerPid(): number | undefined {
	for (const entry of fs.readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "nats-server") return Number(entry);
		} catch {
			// gone meanwhile
		}
	}
	return undefined;
}

/** A server process of the benchmark's own; its output goes to a log file (never through the load generator's event loop). */
export class BenchProcess {
	private readonly child: ChildProcess;
	private readonly exited: Promise<void>;

	constructor(
		readonly label: string,
		args: string[],
		env: Record<string, string | undefined>,
		readonly logFile: string,
	) {
		const out = fs.openSync(logFile, "a");
		this.child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", out, out] });
		fs.closeSync(out);
		// should the benchmark itself die, its servers must not outlive it
		const orphaned = () => this.child.kill("SIGKILL");
		process.once("exit", orphaned);
		this.exited = new Promise((resolve) =>
			this.child.once("exit", () => {
				process.off("exit", orphaned);
				resolve();
			}),
		);
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	get running(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	/** The end of the process's output, for error messages. */
	tail(bytes = 4000): string {
		try {
			const text = fs.readFileSync(this.logFile, "utf8");
			return text.slice(-bytes);
		} catch {
			return "";
		}
	}

	/** SIGTERM (graceful: CPU profiles are written on exit), SIGKILL if it has not exited within the grace period. */
	async stop(graceMs = 10000): Promise<void> {
		if (!this.running) return;
		this.child.kill("SIGTERM");
		const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
		await this.exited;
		clearTimeout(timer);
	}
}

/** The platform's entry point (compiled) running the named services, or all of them. */
export function startPlatform(label: string, env: Record<string, string>, logFile: string, nodeOptions: string[] = []): BenchProcess {
	if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
	return new BenchProcess(label, [...nodeOptions, ENTRY], { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, logFile);
}

/** A bare node:http server answering `bodyFile`'s bytes as JSON to every request: the ceiling the gateway is compared to. */
export function startBareServer(port: number, bodyFile: string, logFile: string): BenchProcess {
	const script = `
const http = require("node:http");
const body = require("node:fs").readFileSync(process.env.BODY_FILE);
http
	.createServer((req, res) => {
		res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length });
		res.end(body);
	})
	.listen(Number(process.env.PORT), "127.0.0.1");
`;
	return new BenchProcess("bare", ["-e", script], { PATH: process.env.PATH, PORT: String(port), BODY_FILE: bodyFile }, logFile);
}

export async function waitFor(condition: () => Promise<boolean>, what: string, processes: BenchProcess[], timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition().catch(() => false))) {
		const dead = processes.find((candidate) => !candidate.running);
		if (dead) throw new Error(`${dead.label} exited while waiting for ${what}:\n${dead.tail()}`);
		if (Date.now() > deadline)
			throw new Error(`timed out waiting for ${what}:\n${processes.map((p) => `${p.label}: ${p.tail(1500)}`).join("\n")}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** moleculer-web on the platform's broker options answering the page from memory: what the framework alone costs. */
export function startFloorServer(port: number, bodyFile: string, logFile: string): BenchProcess {
	return new BenchProcess(
		"floor",
		["--import", "tsx", path.join(__dirname, "gateway-floor.ts")],
		{ PATH: process.env.PATH, PIXCRAWLER_ENV: "test", PIXCRAWLER_LOG_LEVEL: "warn", GATEWAY_PORT: String(port), BODY_FILE: bodyFile },
		logFile,
	);
}
