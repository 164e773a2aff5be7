/** Previous/next through a paged list (`{total, page, pageSize}`), with where we are. */
export function Pager({
	page,
	pageSize,
	total,
	onPage,
	label = "Pages",
}: {
	page: number;
	pageSize: number;
	total: number;
	onPage: (page: number) => void;
	label?: string;
}) {
	const pages = Math.max(1, Math.ceil(total / pageSize));
	if (pages <= 1) return null;
	return (
		<nav className="pager" aria-label={label}>
			<button type="button" className="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
				Previous
			</button>
			<span aria-live="polite">
				Page {page} of {pages}
			</span>
			<button type="button" className="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
				Next
			</button>
		</nav>
	);
}
