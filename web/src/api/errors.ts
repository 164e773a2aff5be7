import type { FieldError, ProblemDetails } from "../../../sdk/src/errors";

export type { FieldError, ProblemDetails };

/**
 * Any answer of the API that is not 2xx, or a request that got no answer (status 0). `fields` holds the
 * invalid fields of a 422 (`errors[].field`, paths such as `categories[0].keywords`).
 */
export class ApiError extends Error {
	readonly status: number;
	readonly problem: ProblemDetails | null;
	readonly fields: FieldError[];
	readonly requestId: string | null;
	readonly retryAfter: number | null;

	constructor(
		message: string,
		options: { status: number; problem?: ProblemDetails | null; requestId?: string | null; retryAfter?: number | null },
	) {
		super(message);
		this.name = "ApiError";
		this.status = options.status;
		this.problem = options.problem ?? null;
		this.fields = Array.isArray(this.problem?.errors) ? this.problem.errors : [];
		this.requestId = options.requestId ?? this.problem?.requestId ?? null;
		this.retryAfter = options.retryAfter ?? null;
	}

	/** The message of one field, if the API named it. */
	fieldMessage(field: string): string | undefined {
		return this.fields.find((error) => error.field === field)?.message;
	}
}

export function isApiError(error: unknown): error is ApiError {
	return error instanceof ApiError;
}

/** What to tell a user about any error: the API's detail when there is one. */
export function errorMessage(error: unknown): string {
	if (error instanceof ApiError) {
		if (error.status === 0) return "The server could not be reached. Check your connection and try again.";
		return error.problem?.detail ?? error.problem?.title ?? error.message;
	}
	if (error instanceof Error) return error.message;
	return "Something went wrong";
}

/** Field errors keyed by path; a path the API repeats keeps its messages joined. */
export function fieldErrorMap(fields: FieldError[]): Record<string, string> {
	const map: Record<string, string> = {};
	for (const { field, message } of fields) map[field] = map[field] ? `${map[field]} ${message}` : message;
	return map;
}
