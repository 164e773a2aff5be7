import { useId, useRef } from "react";
import { LICENCES, licenceName } from "../exports/options";
import { EMPTY_FILTERS, type GalleryFilters as Filters, hasFilters, IMAGE_STATUSES } from "./gallery-query";

const STATUS_NAMES = { valid: "Valid", duplicate: "Duplicate", rejected: "Rejected" };

/** A select that keeps a value from the URL even when it is not among the usual options. */
function withCurrent(options: string[], current: string): string[] {
	return current && !options.includes(current) ? [...options, current] : options;
}

/** The gallery's filters: each change applies at once and goes into the URL's query. */
export function GalleryFilters({
	filters,
	labels,
	sources,
	onChange,
}: {
	filters: Filters;
	labels: string[];
	sources: string[];
	onChange: (filters: Filters) => void;
}) {
	const id = useId();
	const first = useRef<HTMLSelectElement>(null);
	const set = (field: keyof Filters) => (event: { target: { value: string } }) => onChange({ ...filters, [field]: event.target.value });
	return (
		<form className="filters" aria-label="Filter images" onSubmit={(event) => event.preventDefault()}>
			<div className="field">
				<label htmlFor={`${id}-label`}>Label</label>
				<select id={`${id}-label`} ref={first} value={filters.label} onChange={set("label")}>
					<option value="">Every label</option>
					{withCurrent(labels, filters.label).map((label) => (
						<option key={label} value={label}>
							{label}
						</option>
					))}
				</select>
			</div>
			<div className="field">
				<label htmlFor={`${id}-status`}>Status</label>
				<select id={`${id}-status`} value={filters.status} onChange={set("status")}>
					<option value="">Any status</option>
					{IMAGE_STATUSES.map((status) => (
						<option key={status} value={status}>
							{STATUS_NAMES[status]}
						</option>
					))}
				</select>
			</div>
			<div className="field">
				<label htmlFor={`${id}-source`}>Source</label>
				<select id={`${id}-source`} value={filters.source} onChange={set("source")}>
					<option value="">Every source</option>
					{withCurrent(sources, filters.source).map((source) => (
						<option key={source} value={source}>
							{source}
						</option>
					))}
				</select>
			</div>
			<div className="field">
				<label htmlFor={`${id}-license`}>Licence</label>
				<select id={`${id}-license`} value={filters.license} onChange={set("license")}>
					<option value="">Any licence</option>
					{withCurrent(LICENCES, filters.license).map((license) => (
						<option key={license} value={license}>
							{licenceName(license)}
						</option>
					))}
				</select>
			</div>
			{hasFilters(filters) && (
				<button
					type="button"
					className="button"
					onClick={() => {
						onChange(EMPTY_FILTERS);
						// the button goes away with the filters: keep the keyboard where the filters start
						first.current?.focus();
					}}
				>
					Clear filters
				</button>
			)}
		</form>
	);
}
