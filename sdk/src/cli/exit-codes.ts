import {
	AuthenticationError,
	ConflictError,
	NetworkError,
	NotFoundError,
	PermissionError,
	PixCrawlerError,
	RateLimitError,
	ServerError,
	TimeoutError,
	ValidationError,
} from "../errors";

/** What the process exit status says, so scripts can branch on the kind of failure. */
export const ExitCode = {
	ok: 0,
	unexpected: 1,
	usage: 2,
	authentication: 3,
	permission: 4,
	notFound: 5,
	conflict: 6,
	validation: 7,
	rateLimited: 8,
	server: 9,
	network: 10,
	/** Interrupted (Ctrl-C): 128 + SIGINT, as shells report it. */
	interrupted: 130,
} as const;

export const EXIT_CODE_TABLE: [number, string][] = [
	[ExitCode.ok, "success"],
	[ExitCode.unexpected, "unexpected error (a failed build or export, a corrupt download, a bug)"],
	[ExitCode.usage, "usage error: unknown command or option, missing or invalid argument, unreadable file"],
	[ExitCode.authentication, "authentication: no token configured, or the API refused it (401)"],
	[ExitCode.permission, "permission: the token lacks a scope or the role does not allow it (403)"],
	[ExitCode.notFound, "not found (404)"],
	[ExitCode.conflict, "conflict with the resource's state, e.g. a build is running (409)"],
	[ExitCode.validation, "validation: invalid fields, each printed on stderr (422)"],
	[ExitCode.rateLimited, "rate limited (429)"],
	[ExitCode.server, "server error (5xx)"],
	[ExitCode.network, "network error or timeout: no answer in time"],
	[ExitCode.interrupted, "interrupted (Ctrl-C)"],
];

/** A mistake in the command line or its inputs; exits 2. */
export class UsageError extends Error {
	constructor(
		message: string,
		/** The command whose help the message points to. */
		readonly command?: string,
	) {
		super(message);
		this.name = "UsageError";
	}
}

/** The exit status for an error thrown by a command. Order matters: subclasses before PixCrawlerError. */
export function exitCodeOf(error: unknown): number {
	if (error instanceof UsageError) return ExitCode.usage;
	if (error instanceof AuthenticationError) return ExitCode.authentication;
	if (error instanceof PermissionError) return ExitCode.permission;
	if (error instanceof NotFoundError) return ExitCode.notFound;
	if (error instanceof ConflictError) return ExitCode.conflict;
	if (error instanceof ValidationError) return ExitCode.validation;
	if (error instanceof RateLimitError) return ExitCode.rateLimited;
	if (error instanceof ServerError) return ExitCode.server;
	if (error instanceof NetworkError || error instanceof TimeoutError) return ExitCode.network;
	if (error instanceof PixCrawlerError) {
		// a problem the SDK did not classify: fall back on the status
		if (error.status >= 500) return ExitCode.server;
		return ExitCode.unexpected;
	}
	return ExitCode.unexpected;
}
