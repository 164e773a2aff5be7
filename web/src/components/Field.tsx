import type { ReactNode } from "react";

export interface FieldControlProps {
	id: string;
	"aria-invalid": boolean | undefined;
	"aria-describedby": string | undefined;
}

/**
 * A labelled control with its hint and its error beside it; the control gets `aria-invalid` and is
 * described by both, so screen readers read the API's message with the field.
 */
export function Field({
	id,
	label,
	hint,
	error,
	children,
	className,
}: {
	id: string;
	label: ReactNode;
	hint?: ReactNode;
	error?: string;
	children: (control: FieldControlProps) => ReactNode;
	className?: string;
}) {
	const hintId = hint ? `${id}-hint` : undefined;
	const errorId = error ? `${id}-error` : undefined;
	const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
	return (
		<div className={`field${error ? " field-invalid" : ""}${className ? ` ${className}` : ""}`}>
			<label htmlFor={id}>{label}</label>
			{hint && (
				<p className="field-hint" id={hintId}>
					{hint}
				</p>
			)}
			{children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
			{error && (
				<p className="field-error" id={errorId}>
					{error}
				</p>
			)}
		</div>
	);
}

/** Errors of a whole form at its top, each linking to its field; it takes focus when it appears. */
export function ErrorSummary({
	title = "Please correct these fields",
	items,
}: {
	title?: string;
	items: { fieldId: string | null; label: string; message: string }[];
}) {
	if (items.length === 0) return null;
	return (
		<div className="error-summary" role="alert" tabIndex={-1} ref={(node) => node?.focus()}>
			<p className="state-title">{title}</p>
			<ul>
				{items.map((item) => (
					<li key={`${item.fieldId ?? item.label}-${item.message}`}>
						{item.fieldId ? (
							<a
								href={`#${item.fieldId}`}
								onClick={(event) => {
									event.preventDefault();
									const target = document.getElementById(item.fieldId as string);
									target?.focus();
									target?.scrollIntoView?.({ block: "center" });
								}}
							>
								{item.label}: {item.message}
							</a>
						) : (
							<span>
								{item.label}: {item.message}
							</span>
						)}
					</li>
				))}
			</ul>
		</div>
	);
}
