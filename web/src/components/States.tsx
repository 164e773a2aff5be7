import type { ReactNode } from "react";
import { errorMessage, isApiError } from "../api/errors";

/** A region announced to screen readers while something loads. */
export function Loading({ label = "Loading…" }: { label?: string }) {
	return (
		<div className="state state-loading" role="status" aria-live="polite">
			<span className="spinner" aria-hidden="true" />
			<span>{label}</span>
		</div>
	);
}

/** An error with what the API said, its request id (to quote to support) and a way to try again. */
export function ErrorState({ error, onRetry, title = "Something went wrong" }: { error: unknown; onRetry?: () => void; title?: string }) {
	const requestId = isApiError(error) ? error.requestId : null;
	return (
		<div className="state state-error" role="alert">
			<p className="state-title">{title}</p>
			<p>{errorMessage(error)}</p>
			{requestId && <p className="muted small">Request id: {requestId}</p>}
			{onRetry && (
				<button type="button" className="button" onClick={onRetry}>
					Try again
				</button>
			)}
		</div>
	);
}

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
	return (
		<div className="state state-empty">
			<p className="state-title">{title}</p>
			{children}
		</div>
	);
}

/** An inline message after an action (saved, failed), announced politely. */
export function Notice({ kind, children }: { kind: "success" | "error" | "info"; children: ReactNode }) {
	return (
		<div className={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
			{children}
		</div>
	);
}
