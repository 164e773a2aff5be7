/**
 * The management CLI: `npm run manage -- <command>` (or `tsx bin/manage.ts <command>` from source).
 * This file only declares the commands and their flags; bin/manage/commands.ts does the work and
 * bin/manage/platform.ts reaches the platform (over the bus, or embedded in this process).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { ServiceBroker } from "moleculer";
import { type Config, type Environment, readEnvironment, setConfig } from "../lib/config";
import { projectVersion } from "../lib/project";
import {
	checkDeps,
	checkEnv,
	createSuperuser,
	createToken,
	DEPENDENCY_EXIT_BITS,
	dbIndexes,
	dbReset,
	dbStats,
	deactivate,
	demote,
	describeError,
	EXIT,
	listServices,
	parseDays,
	parseScopes,
	promote,
	resetPassword,
	resetRefusal,
} from "./manage/commands";
import { type ManageIO, terminalIO } from "./manage/io";
import { CommandFailed, type Needs, TransporterUnreachable, withPlatform } from "./manage/platform";

/** Every command the CLI offers: production operations only. */
export const COMMAND_NAMES = [
	"createsuperuser",
	"promote",
	"demote",
	"reset-password",
	"deactivate",
	"check-env",
	"check-deps",
	"db:indexes",
	"db:stats",
	"db:reset",
	"services",
	"token:create",
] as const;

const EXIT_CODES_HELP = `
Exit codes:
  0   done
  1   the command failed or refused (one line on stderr says why)
  2   unknown command or option, or a missing or invalid argument
  check-deps adds up the failed dependencies: transporter ${DEPENDENCY_EXIT_BITS.transporter}, database ${DEPENDENCY_EXIT_BITS.database}, redis ${DEPENDENCY_EXIT_BITS.redis}, storage ${DEPENDENCY_EXIT_BITS.storage}
`;

type Run = () => Promise<number>;

/** Turns a value parser's error into commander's, so a bad value is a usage error (exit code 2). */
function argument<T>(parse: (text: string) => T) {
	return (text: string) => {
		try {
			return parse(text);
		} catch (error) {
			throw new InvalidArgumentError((error as Error).message);
		}
	};
}

export function buildProgram(io: ManageIO, env: Environment, select: (run: Run) => void): Command {
	// one configuration for the command and for every service file it loads
	const configured = () => setConfig(env);
	const onPlatform = (needs: Needs, command: (broker: ServiceBroker, config: Config) => Promise<number>) => () => {
		const config = configured();
		return withPlatform(config, needs, io, (broker) => command(broker, config));
	};

	const program = new Command("manage")
		.description("Manage PixCrawler: user administration, configuration and dependency checks, database maintenance, cluster inspection.")
		.version(projectVersion, "-V, --version", "print the version")
		.helpOption("-h, --help", "show help for a command")
		.helpCommand(false)
		.configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) })
		.showHelpAfterError("(run with --help for usage)")
		.exitOverride()
		.addHelpText("after", EXIT_CODES_HELP);

	program
		.command("createsuperuser")
		.description("create a superuser account (asks for what the flags do not give; the password is never echoed)")
		.option("--email <email>", "email address of the account")
		.option("--name <name>", "display name")
		.option("--password-stdin", "read the password from standard input instead of asking")
		.action((options: { email?: string; name?: string; passwordStdin?: boolean }) =>
			select(onPlatform("users", (broker, config) => createSuperuser(broker, config, options, io))),
		);

	program
		.command("promote")
		.description("give a user the superuser role")
		.argument("<email>", "email address of the user")
		.action((email: string) => select(onPlatform("users", (broker, config) => promote(broker, config, { email }, io))));

	program
		.command("demote")
		.description("take the superuser role away from a user")
		.argument("<email>", "email address of the user")
		.action((email: string) => select(onPlatform("users", (broker, config) => demote(broker, config, { email }, io))));

	program
		.command("reset-password")
		.description("set a new password for a user and sign out every session")
		.argument("<email>", "email address of the user")
		.option("--password-stdin", "read the new password from standard input instead of asking")
		.action((email: string, options: { passwordStdin?: boolean }) =>
			select(onPlatform("users", (broker, config) => resetPassword(broker, config, { email, ...options }, io))),
		);

	program
		.command("deactivate")
		.description("stop a user from signing in or using API tokens, and sign out every session")
		.argument("<email>", "email address of the user")
		.action((email: string) => select(onPlatform("users", (broker, config) => deactivate(broker, config, { email }, io))));

	program
		.command("check-env")
		.description("validate the configuration and print every variable, secrets masked")
		.action(() => select(async () => checkEnv(env, io)));

	program
		.command("check-deps")
		.description("reach the transporter, each repository's database, Redis and the data directory")
		.action(() =>
			select(async () => {
				const config = configured();
				try {
					return await withPlatform(config, "health", io, (broker) => checkDeps(broker, config, {}, io));
				} catch (error) {
					if (error instanceof TransporterUnreachable) return checkDeps(undefined, config, { busError: error.message }, io);
					throw error;
				}
			}),
		);

	program
		.command("db:indexes")
		.description("create the indexes of every collection")
		.action(() => select(onPlatform("repositories", (broker, config) => dbIndexes(broker, config, {}, io))));

	program
		.command("db:stats")
		.description("list every collection with its document count")
		.action(() => select(onPlatform("repositories", (broker, config) => dbStats(broker, config, {}, io))));

	program
		.command("db:reset")
		.description("delete every document of every collection")
		.option("--yes", "confirm the deletion")
		.option("--force", "also allow it when PIXCRAWLER_ENV=production")
		.action((options: { yes?: boolean; force?: boolean }) =>
			select(async () => {
				const config = configured();
				const refusal = resetRefusal(config, options);
				if (refusal) throw new CommandFailed(refusal);
				return withPlatform(config, "repositories", io, (broker) => dbReset(broker, config, options, io));
			}),
		);

	program
		.command("services")
		.description("list the nodes on the bus and the services each runs")
		.action(() =>
			select(async () => {
				const config = configured();
				if (!config.transporter.url) return listServices(undefined, config, {}, io);
				return withPlatform(config, "bus", io, (broker) => listServices(broker, config, {}, io));
			}),
		);

	program
		.command("token:create")
		.description("create an API token for a user and print it once")
		.requiredOption("--email <email>", "email address of the token's owner")
		.requiredOption("--name <name>", "what the token is for")
		.addOption(new Option("--scopes <scopes>", "comma-separated scopes").argParser(argument(parseScopes)).makeOptionMandatory())
		.addOption(new Option("--expires-in-days <days>", "days until the token expires (default: never)").argParser(argument(parseDays)))
		.action((options: { email: string; name: string; scopes: string[]; expiresInDays?: number }) =>
			select(onPlatform("users", (broker, config) => createToken(broker, config, options, io))),
		);

	return program;
}

/** Parses the arguments, runs the chosen command, and answers the exit code. */
export async function main(argv: string[], io: ManageIO, env: Environment): Promise<number> {
	let run: Run | undefined;
	const program = buildProgram(io, env, (chosen) => {
		run = chosen;
	});
	try {
		await program.parseAsync(argv, { from: "user" });
	} catch (error) {
		// help and version end with exit code 0; anything else the parser rejects is a usage error
		if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
		throw error;
	}
	if (!run) return EXIT.ok;
	try {
		return await run();
	} catch (error) {
		io.err(`manage: ${describeError(error)}\n`);
		return EXIT.failed;
	}
}

if (require.main === module) {
	main(process.argv.slice(2), terminalIO(), readEnvironment()).then(
		(code) => process.exit(code),
		(error: unknown) => {
			process.stderr.write(`manage: ${describeError(error)}\n`);
			process.exit(EXIT.failed);
		},
	);
}
