import { readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { PixCrawler } from "../client";
import { NetworkError, PixCrawlerError, RateLimitError } from "../errors";
import { DEFAULT_BASE_URL } from "../http";
import { COMMANDS, missingToken } from "./commands";
import type { CliIo, Command, CommandContext, OptionSpec, OptionValues } from "./context";
import { readCredentials } from "./credentials";
import { EXIT_CODE_TABLE, ExitCode, exitCodeOf, UsageError } from "./exit-codes";
import { json as toJson } from "./output";

export type { CliIo } from "./context";
export { ExitCode } from "./exit-codes";

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
	token: { type: "string", value: "<token>", description: "API token (else PIXCRAWLER_API_TOKEN, else the one saved by login)" },
	"base-url": {
		type: "string",
		value: "<url>",
		description: `where the platform runs (else PIXCRAWLER_BASE_URL, else login's, else ${DEFAULT_BASE_URL})`,
	},
	json: { type: "boolean", description: "print machine-readable JSON on stdout, nothing else" },
	quiet: { type: "boolean", short: "q", description: "no progress output" },
	help: { type: "boolean", short: "h", description: "show help" },
};

/** Every option any command knows, so a first lenient pass can tell option values from command words. */
const ALL_OPTIONS: Record<string, OptionSpec> = Object.assign(
	{ version: { type: "boolean" } },
	GLOBAL_OPTIONS,
	...COMMANDS.map((command) => command.options),
);

function version(): string {
	try {
		return JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")).version;
	} catch {
		return "unknown";
	}
}

function parseConfig(options: Record<string, OptionSpec>): ParseArgsConfig["options"] {
	return Object.fromEntries(
		Object.entries(options).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]),
	);
}

// ---------------------------------------------------------------- help

function optionLines(options: Record<string, OptionSpec>): string[] {
	const entries = Object.entries(options).map(([name, spec]) => {
		const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`;
		return [flag, spec.description];
	});
	const width = Math.max(...entries.map(([flag]) => flag.length));
	return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

function exitCodeLines(): string[] {
	return EXIT_CODE_TABLE.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`);
}

const commandName = (command: Command) => command.words.join(" ");

function mainHelp(): string {
	const rows = [
		...COMMANDS.map((command) => [`${commandName(command)} ${command.args.join(" ")}`, command.summary]),
		["help [command]", "this help, or a command's"],
	];
	const width = Math.max(...rows.map(([usage]) => usage.length));
	return [
		"pixcrawler: the PixCrawler image dataset builder from the command line",
		"",
		"Usage: pixcrawler <command> [arguments] [options]",
		"",
		"Commands:",
		...rows.map(([usage, summary]) => `  ${usage.padEnd(width)}  ${summary}`),
		"",
		"Options for every command:",
		...optionLines({ ...GLOBAL_OPTIONS, version: { type: "boolean", description: "print the version" } }),
		"",
		"Environment: PIXCRAWLER_API_TOKEN, PIXCRAWLER_BASE_URL, XDG_CONFIG_HOME (where login saves the token).",
		"Errors go to stderr as one line, `error: <message> (request id …)`; progress goes to stderr too.",
		"",
		"Exit codes:",
		...exitCodeLines(),
		"",
		"Run `pixcrawler <command> --help` for a command's options.",
		"",
	].join("\n");
}

function groupHelp(group: string): string {
	const members = COMMANDS.filter((command) => command.words[0] === group);
	const width = Math.max(...members.map((command) => `${commandName(command)} ${command.args.join(" ")}`.length));
	return [
		`Usage: pixcrawler ${group} <command> [arguments] [options]`,
		"",
		"Commands:",
		...members.map((command) => `  ${`${commandName(command)} ${command.args.join(" ")}`.padEnd(width)}  ${command.summary}`),
		"",
		`Run \`pixcrawler ${group} <command> --help\` for a command's options, \`pixcrawler --help\` for the exit codes.`,
		"",
	].join("\n");
}

function commandHelp(command: Command): string {
	const usage = ["pixcrawler", ...command.words, ...command.args, ...(Object.keys(command.options).length ? ["[options]"] : [])].join(" ");
	const lines = [`Usage: ${usage}`, "", `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`];
	if (command.description) lines.push("", command.description);
	if (Object.keys(command.options).length > 0) lines.push("", "Options:", ...optionLines(command.options));
	lines.push("", "Options for every command:", ...optionLines(GLOBAL_OPTIONS));
	if (command.examples?.length) lines.push("", "Examples:", ...command.examples.map((example) => `  ${example}`));
	lines.push("", "Exit codes:", ...exitCodeLines(), "");
	return lines.join("\n");
}

// ---------------------------------------------------------------- errors

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is in its cause. */
function rootCause(error: Error): string {
	let cause: unknown = error.cause;
	let deepest: Error | null = null;
	for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
		deepest = cause;
		cause = cause.cause;
	}
	return deepest && !error.message.includes(deepest.message) ? `: ${deepest.message}` : "";
}

function report(io: CliIo, error: unknown): number {
	if (io.signal?.aborted) {
		io.stderr.write("error: interrupted\n");
		return ExitCode.interrupted;
	}
	const code = exitCodeOf(error);
	if (error instanceof UsageError) {
		const hint = error.command ? `pixcrawler ${error.command} --help` : "pixcrawler --help";
		io.stderr.write(`error: ${error.message} (see \`${hint}\`)\n`);
		return code;
	}
	if (error instanceof PixCrawlerError) {
		let line = `error: ${error.message}`;
		if (error instanceof NetworkError) line += rootCause(error);
		if (error instanceof RateLimitError && error.retryAfter !== null) line += `; retry after ${Math.ceil(error.retryAfter)} s`;
		if (error.requestId) line += ` (request id ${error.requestId})`;
		io.stderr.write(`${line}\n`);
		for (const field of error.fields) io.stderr.write(`  ${field.field}: ${field.message}\n`);
		return code;
	}
	const message = error instanceof Error ? error.message : String(error);
	io.stderr.write(`error: ${message}\n`);
	return code;
}

// ---------------------------------------------------------------- dispatch

function findCommand(words: string[]): { command?: Command; group?: string } {
	const command = COMMANDS.find((candidate) => candidate.words.every((word, index) => words[index] === word));
	if (command) return { command };
	if (words[0] && COMMANDS.some((candidate) => candidate.words.length > 1 && candidate.words[0] === words[0])) return { group: words[0] };
	return {};
}

/**
 * Runs the CLI with `argv` (the arguments after the program name) and answers the exit status. It never
 * throws and never exits the process: the bin shim sets `process.exitCode` from the result.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
	try {
		return await dispatch(argv, io);
	} catch (error) {
		return report(io, error);
	}
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
	const lenient = parseArgs({ args: argv, options: parseConfig(ALL_OPTIONS), strict: false, allowPositionals: true });
	const words = lenient.positionals;
	const wantsHelp = lenient.values.help === true;

	if (words[0] === "help") {
		const { command, group } = findCommand(words.slice(1));
		if (words.length > 1 && !command && !group) throw new UsageError(`unknown command '${words.slice(1).join(" ")}'`);
		io.stdout.write(command ? commandHelp(command) : group ? groupHelp(group) : mainHelp());
		return ExitCode.ok;
	}
	if (words.length === 0) {
		if (lenient.values.version === true) {
			io.stdout.write(`${version()}\n`);
			return ExitCode.ok;
		}
		if (wantsHelp) {
			io.stdout.write(mainHelp());
			return ExitCode.ok;
		}
		io.stderr.write(mainHelp());
		return ExitCode.usage;
	}
	const { command, group } = findCommand(words);
	if (!command) {
		if (group && (wantsHelp || words.length === 1)) {
			(wantsHelp ? io.stdout : io.stderr).write(groupHelp(group));
			return wantsHelp ? ExitCode.ok : ExitCode.usage;
		}
		if (group) throw new UsageError(`unknown command '${group} ${words[1]}'`, group);
		throw new UsageError(`unknown command '${words[0]}'`);
	}
	if (wantsHelp) {
		io.stdout.write(commandHelp(command));
		return ExitCode.ok;
	}

	const name = commandName(command);
	let parsed: { values: OptionValues; positionals: string[] };
	try {
		parsed = parseArgs({
			args: argv,
			options: parseConfig({ ...GLOBAL_OPTIONS, ...command.options }),
			strict: true,
			allowPositionals: true,
		}) as typeof parsed;
	} catch (error) {
		throw new UsageError(parseProblem(error as Error), name);
	}
	const args = parsed.positionals.slice(command.words.length);
	const requiredArgs = command.args.filter((arg) => arg.startsWith("<"));
	if (args.length < requiredArgs.length) throw new UsageError(`missing ${requiredArgs.slice(args.length).join(" ")}`, name);
	if (args.length > command.args.length) throw new UsageError(`unexpected argument '${args[command.args.length]}'`, name);
	for (const [index, arg] of args.entries()) {
		if (arg.trim() === "") throw new UsageError(`${command.args[index]} must not be empty`, name);
	}

	await command.run(createContext(io, args, parsed.values));
	return ExitCode.ok;
}

/** Node's parseArgs messages, shortened to what a user needs. */
function parseProblem(error: Error): string {
	const unknown = /Unknown option '([^']+)'/.exec(error.message);
	if (unknown) return `unknown option '${unknown[1]}'`;
	const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(error.message);
	if (missing) return `${missing[1].replace(/^-\w, /, "")} needs a value`;
	return error.message.split("\n")[0];
}

function createContext(io: CliIo, args: string[], options: OptionValues): CommandContext {
	const flag = (name: string) => (typeof options[name] === "string" ? (options[name] as string) : undefined);
	const env = (name: string) => io.env[name]?.trim() || undefined;
	let saved: ReturnType<typeof readCredentials> | undefined;
	const credentials = () => {
		saved ??= readCredentials(io.env);
		return saved;
	};
	const baseUrl = async () => flag("base-url") ?? env("PIXCRAWLER_BASE_URL") ?? ((await credentials())?.baseUrl || DEFAULT_BASE_URL);
	const json = options.json === true;
	return {
		io,
		args,
		options,
		json,
		quiet: options.quiet === true,
		signal: io.signal,
		baseUrl,
		async client() {
			const token = flag("token") ?? env("PIXCRAWLER_API_TOKEN") ?? (await credentials())?.token;
			if (!token) throw missingToken();
			return new PixCrawler({ token, baseUrl: await baseUrl() });
		},
		print(value, human) {
			io.stdout.write(json ? toJson(value) : human(value));
		},
		resolvePath(path) {
			return isAbsolute(path) ? path : resolve(io.cwd ?? process.cwd(), path);
		},
	};
}

/** The `pixcrawler` executable: process streams in, exit status out; Ctrl-C aborts the command. */
export async function run(): Promise<void> {
	const controller = new AbortController();
	const onInterrupt = () => {
		// a second Ctrl-C leaves at once
		if (controller.signal.aborted) process.exit(ExitCode.interrupted);
		controller.abort(new Error("interrupted"));
	};
	process.on("SIGINT", onInterrupt);
	// a closed pipe (`pixcrawler … | head`) is not an error worth a stack trace
	process.stdout.on("error", (error: NodeJS.ErrnoException) => {
		if (error.code === "EPIPE") process.exit(ExitCode.ok);
	});
	let stdinOpened = false;
	try {
		process.exitCode = await main(process.argv.slice(2), {
			stdout: process.stdout,
			stderr: process.stderr,
			// opened only by the commands that read it (login, create -f -)
			get stdin() {
				stdinOpened = true;
				return process.stdin;
			},
			env: process.env,
			cwd: process.cwd(),
			signal: controller.signal,
		});
	} finally {
		process.off("SIGINT", onInterrupt);
		// a stdin left open after reading the first line would keep the process alive
		if (stdinOpened) process.stdin.destroy();
	}
}
