import readline from "node:readline";
import { Writable } from "node:stream";

/**
 * Where the manage commands read and write. The terminal version talks to the process's streams;
 * `memoryIO` keeps everything in memory, so the commands run the same without a terminal.
 */
export interface ManageIO {
	/** Command output (tables, tokens): text as given, newlines included. */
	out(text: string): void;
	/** Messages, warnings, logs and prompts. */
	err(text: string): void;
	/** True when there is a terminal to ask questions on. */
	readonly interactive: boolean;
	/** Asks on the terminal; a secret answer is not echoed. */
	prompt(question: string, options?: { secret?: boolean }): Promise<string>;
	/** Everything piped on standard input (refused when standard input is a terminal). */
	readStdin(): Promise<string>;
}

/** A password or token fits in far less; a bigger input is a mistake (a file piped by accident). */
const STDIN_LIMIT_BYTES = 64 * 1024;

export function terminalIO(): ManageIO {
	return {
		out: (text) => process.stdout.write(text),
		err: (text) => process.stderr.write(text),
		interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
		prompt: (question, options) => askOnTerminal(question, options?.secret ?? false),
		readStdin,
	};
}

function readStdin(): Promise<string> {
	if (process.stdin.isTTY) {
		return Promise.reject(new Error("standard input is a terminal: pipe the value in (e.g. printf '%s' \"$PASSWORD\" | …)"));
	}
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		process.stdin.on("data", (chunk: Buffer) => {
			size += chunk.length;
			if (size > STDIN_LIMIT_BYTES) {
				process.stdin.destroy();
				reject(new Error(`standard input is longer than ${STDIN_LIMIT_BYTES} bytes`));
				return;
			}
			chunks.push(chunk);
		});
		process.stdin.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		process.stdin.once("error", reject);
	});
}

/** Prompts go to stderr so that stdout carries only results. A secret answer is swallowed, not echoed. */
function askOnTerminal(question: string, secret: boolean): Promise<string> {
	return new Promise((resolve, reject) => {
		let muted = false;
		const output = new Writable({
			write(chunk, _encoding, done) {
				if (!muted) process.stderr.write(chunk);
				done();
			},
		});
		const terminal = readline.createInterface({ input: process.stdin, output, terminal: true });
		let settled = false;
		const finish = (error: Error | undefined, answer?: string) => {
			if (settled) return;
			settled = true;
			muted = false;
			terminal.close();
			if (secret) process.stderr.write("\n");
			if (error) reject(error);
			else resolve(answer ?? "");
		};
		terminal.on("SIGINT", () => finish(new Error("cancelled")));
		terminal.on("close", () => finish(new Error("no answer (end of input)")));
		terminal.question(question, (answer) => finish(undefined, answer));
		// the question is written by now; from here on, typed characters stay off the screen
		muted = secret;
	});
}

/** Reads from the given text and answers, keeps what is written; `stdout()` and `stderr()` return it. */
export function memoryIO(input: { stdin?: string; answers?: string[]; interactive?: boolean } = {}) {
	const out: string[] = [];
	const err: string[] = [];
	const answers = [...(input.answers ?? [])];
	const questions: { question: string; secret: boolean }[] = [];
	const io: ManageIO & { stdout(): string; stderr(): string; questions: typeof questions } = {
		out: (text) => {
			out.push(text);
		},
		err: (text) => {
			err.push(text);
		},
		interactive: input.interactive ?? false,
		async prompt(question, options) {
			questions.push({ question, secret: options?.secret ?? false });
			const answer = answers.shift();
			if (answer === undefined) throw new Error("no answer (end of input)");
			return answer;
		},
		async readStdin() {
			if (input.stdin === undefined) throw new Error("standard input is a terminal: pipe the value in");
			return input.stdin;
		},
		stdout: () => out.join(""),
		stderr: () => err.join(""),
		questions,
	};
	return io;
}

export type MemoryIO = ReturnType<typeof memoryIO>;
