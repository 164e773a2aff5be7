import type { ServiceBroker } from "moleculer";
import type { Principal } from "../../../lib/types";

/** What the REPL passes an action: positional arguments by name, flags under `options`. */
export interface CommandArgs {
	options: Record<string, unknown>;
	[argument: string]: unknown;
}

/** A PixCrawler REPL command; `run` writes through `out` so tests can read what it prints. */
export interface ReplCommand {
	/** moleculer-repl (commander) declaration: `job <id>`. */
	command: string;
	description: string;
	options?: { option: string; description: string }[];
	run(broker: ServiceBroker, args: CommandArgs, out: (text: string) => void): Promise<void>;
}

/**
 * Who the REPL acts as: an operator on the bus is trusted like any node, and the admin actions it calls
 * check for a superuser.
 */
export const OPERATOR: Principal = { id: "repl-operator", role: "superuser", via: "jwt" };
export const asOperator = { meta: { user: OPERATOR } };

/** The shape moleculer-repl's `customCommands` option takes. */
export function toCustomCommand(definition: ReplCommand) {
	return {
		command: definition.command,
		description: definition.description,
		options: definition.options ?? [],
		// moleculer's typings say string[]; moleculer-repl 0.8 passes the parsed arguments object
		async action(broker: ServiceBroker, args: unknown) {
			try {
				await definition.run(broker, args as CommandArgs, (text) => process.stdout.write(text));
			} catch (error) {
				// one line, as the rest of the REPL prints errors; the stack helps nobody at the prompt
				process.stdout.write(`error: ${(error as Error).message}\n`);
			}
		},
	};
}
