import type { PixCrawler } from "../client";
import type { Writer } from "./output";

export type Env = Record<string, string | undefined>;

/** The outside world of one CLI run: streams, environment and working directory, so tests need not spawn. */
export interface CliIo {
	stdout: Writer;
	stderr: Writer;
	/** Read by `login` when no --token is given; a TTY gets a prompt on stderr. */
	stdin?: AsyncIterable<string | Buffer> & { isTTY?: boolean };
	env: Env;
	/** Relative paths (-f, --out) resolve against it; defaults to the process's. */
	cwd?: string;
	/** Aborting it stops the command (Ctrl-C); the run then exits 130. */
	signal?: AbortSignal;
}

export type OptionValues = Record<string, string | boolean | undefined>;

/** What a command's handler gets. */
export interface CommandContext {
	io: CliIo;
	/** Positional arguments after the command's words. */
	args: string[];
	options: OptionValues;
	json: boolean;
	quiet: boolean;
	signal?: AbortSignal;
	/** The client, with the token and base URL resolved from flags, environment and saved credentials. */
	client(): Promise<PixCrawler>;
	/** The base URL the client would use, resolved the same way. */
	baseUrl(): Promise<string>;
	/** Writes the value as JSON under --json, else what `human` renders, to stdout. */
	print<T>(value: T, human: (value: T) => string): void;
	/** A path given on the command line, resolved against the working directory. */
	resolvePath(path: string): string;
}

export interface OptionSpec {
	type: "string" | "boolean";
	short?: string;
	/** Placeholder of the value in help, e.g. `<file>`. */
	value?: string;
	description: string;
}

export interface Command {
	/** The words that name it: `["datasets", "list"]`. */
	words: string[];
	/** Positional arguments: `<datasetId>` required, `[name]` optional. */
	args: string[];
	summary: string;
	description?: string;
	options: Record<string, OptionSpec>;
	examples?: string[];
	run(context: CommandContext): Promise<void>;
}
