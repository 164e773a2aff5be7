import { type ReactNode, useEffect, useId, useRef, useState } from "react";

/**
 * A destructive action asked twice: the first press shows the question with Confirm and Cancel
 * (focus moves to Cancel, Escape cancels), the second runs it.
 */
export function ConfirmButton({
	children,
	question,
	confirmLabel = "Confirm",
	onConfirm,
	disabled,
	className = "button button-danger",
	label,
}: {
	children: ReactNode;
	/** The opener's accessible name when its text alone is ambiguous ("Revoke" in a list: "Revoke laptop"). */
	label?: string;
	question: string;
	confirmLabel?: string;
	onConfirm: () => void | Promise<void>;
	disabled?: boolean;
	className?: string;
}) {
	const [asking, setAsking] = useState(false);
	const [busy, setBusy] = useState(false);
	const cancelRef = useRef<HTMLButtonElement>(null);
	const openerRef = useRef<HTMLButtonElement>(null);
	const questionId = useId();
	useEffect(() => {
		if (asking) cancelRef.current?.focus();
	}, [asking]);

	if (!asking)
		return (
			<button type="button" ref={openerRef} className={className} disabled={disabled} aria-label={label} onClick={() => setAsking(true)}>
				{children}
			</button>
		);
	const close = () => {
		setAsking(false);
		queueMicrotask(() => openerRef.current?.focus());
	};
	return (
		<fieldset
			className="confirm"
			aria-labelledby={questionId}
			onKeyDown={(event) => {
				if (event.key === "Escape") close();
			}}
		>
			<span className="confirm-question" id={questionId}>
				{question}
			</span>
			<button
				type="button"
				className="button button-danger"
				disabled={busy}
				onClick={async () => {
					setBusy(true);
					try {
						await onConfirm();
					} finally {
						setBusy(false);
						setAsking(false);
					}
				}}
			>
				{confirmLabel}
			</button>
			<button type="button" ref={cancelRef} className="button" onClick={close}>
				Cancel
			</button>
		</fieldset>
	);
}
