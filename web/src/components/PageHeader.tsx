import { createContext, type ReactNode, useContext, useEffect, useRef } from "react";

/** True once the user has moved to another page than the first one (web/src/app/App.tsx). */
export const NavigatedContext = createContext(false);

/**
 * The page's title (also the document's) and its actions. The heading takes focus when the page
 * opens after a navigation, so keyboard and screen-reader users start at the new page, not at the
 * link they used; on the first page of a visit the skip link stays the first stop.
 */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
	const heading = useRef<HTMLHeadingElement>(null);
	const focus = useContext(NavigatedContext);
	useEffect(() => {
		document.title = `${title} · PixCrawler`;
	}, [title]);
	useEffect(() => {
		if (focus) heading.current?.focus({ preventScroll: true });
	}, [focus]);
	return (
		<header className="page-header">
			<h1 ref={heading} tabIndex={-1}>
				{title}
			</h1>
			{children && <div className="page-actions">{children}</div>}
		</header>
	);
}
