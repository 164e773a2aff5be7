import { Link, useLocation } from "wouter";
import { datasetTabs } from "../../app/routes";

/** The tabs across one dataset's pages (build, definition, gallery, exports): put it under the PageHeader. */
export function DatasetTabs({ datasetId }: { datasetId: string }) {
	const [location] = useLocation();
	return (
		<nav aria-label="Dataset">
			<ul className="tabs">
				{datasetTabs.map((tab) => {
					const href = tab.href(datasetId);
					return (
						<li key={tab.label}>
							<Link href={href} aria-current={location === href ? "page" : undefined}>
								{tab.label}
							</Link>
						</li>
					);
				})}
			</ul>
		</nav>
	);
}
