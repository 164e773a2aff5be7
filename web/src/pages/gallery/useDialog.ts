import { type RefObject, useEffect, useRef } from "react";

const FOCUSABLE = [
	"a[href]",
	"button:not([disabled])",
	"input:not([disabled]):not([type='hidden'])",
	"select:not([disabled])",
	"textarea:not([disabled])",
	"summary",
	"[tabindex]:not([tabindex='-1'])",
].join(",");

export function focusableIn(container: HTMLElement): HTMLElement[] {
	return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
		(element) => !element.hasAttribute("inert") && element.getAttribute("aria-hidden") !== "true",
	);
}

/**
 * A modal dialog's keyboard contract (WAI-ARIA APG "Dialog (Modal)"): focus moves into the dialog
 * when it opens, Tab and Shift+Tab cycle inside it, Escape closes it, and focus goes back to what
 * opened it, or to `fallback` when that is gone (the image it showed was deleted). The page behind
 * stops scrolling while it is open. Keys are heard on the document, so they work even when the
 * focused control went away (a button disabled by its own action leaves focus on the body).
 */
export function useDialog(dialogRef: RefObject<HTMLElement | null>, onClose: () => void, fallback?: () => HTMLElement | null) {
	const fallbackRef = useRef(fallback);
	fallbackRef.current = fallback;
	const closeRef = useRef(onClose);
	closeRef.current = onClose;

	useEffect(() => {
		const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
		const dialog = dialogRef.current;
		(dialog?.querySelector<HTMLElement>("[data-autofocus]") ?? dialog)?.focus();
		document.body.classList.add("dialog-open");

		function onKeyDown(event: KeyboardEvent) {
			if (!dialog) return;
			if (event.key === "Escape") {
				// an open "are you sure?" inside the dialog takes Escape for itself: it closes first
				if ((event.target as Element | null)?.closest?.(".confirm")) return;
				event.preventDefault();
				closeRef.current();
				return;
			}
			if (event.key !== "Tab") return;
			const items = focusableIn(dialog);
			if (items.length === 0) {
				event.preventDefault();
				dialog.focus();
				return;
			}
			const first = items[0];
			const last = items[items.length - 1];
			const active = document.activeElement;
			const inside = dialog.contains(active);
			if (event.shiftKey && (active === first || active === dialog || !inside)) {
				event.preventDefault();
				last.focus();
			} else if (!event.shiftKey && (active === last || !inside)) {
				event.preventDefault();
				first.focus();
			}
		}
		document.addEventListener("keydown", onKeyDown);
		return () => {
			document.removeEventListener("keydown", onKeyDown);
			document.body.classList.remove("dialog-open");
			const target = opener?.isConnected ? opener : fallbackRef.current?.();
			target?.focus();
		};
	}, [dialogRef]);
}
