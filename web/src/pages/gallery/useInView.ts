import { type RefObject, useEffect, useState } from "react";

/**
 * True once the element comes within `margin` of the viewport (and from then on): a label's first
 * page is fetched when its section is about to be seen, not for every label at once. Without
 * IntersectionObserver (old browsers, jsdom) everything counts as seen.
 */
export function useInView(ref: RefObject<Element | null>, margin = "400px"): boolean {
	const [seen, setSeen] = useState(() => typeof IntersectionObserver === "undefined");
	useEffect(() => {
		const element = ref.current;
		if (seen || !element) return;
		const observer = new IntersectionObserver(
			(entries) => {
				if (entries.some((entry) => entry.isIntersecting)) setSeen(true);
			},
			{ rootMargin: margin },
		);
		observer.observe(element);
		return () => observer.disconnect();
	}, [ref, margin, seen]);
	return seen;
}
