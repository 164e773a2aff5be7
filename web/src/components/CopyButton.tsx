import { useState } from "react";

/** Copies with the Clipboard API, or, where it is missing or refused (plain HTTP, old browsers), a selected textarea. */
export async function copyText(text: string): Promise<boolean> {
	try {
		if (navigator.clipboard?.writeText) {
			await navigator.clipboard.writeText(text);
			return true;
		}
	} catch {
		// fall through to the textarea
	}
	const area = document.createElement("textarea");
	area.value = text;
	area.setAttribute("readonly", "");
	area.style.position = "fixed";
	area.style.opacity = "0";
	document.body.appendChild(area);
	area.select();
	let copied = false;
	try {
		copied = document.execCommand("copy");
	} catch {
		copied = false;
	}
	area.remove();
	return copied;
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
	const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
	return (
		<>
			<button
				type="button"
				className="button"
				onClick={async () => {
					setState((await copyText(text)) ? "copied" : "failed");
				}}
			>
				{label}
			</button>
			<span className="copy-state" role="status" aria-live="polite">
				{state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text and copy it" : ""}
			</span>
		</>
	);
}
