import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "wouter";
import type { Dataset, Image } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { formatNumber } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useResource } from "../../components/useResource";
import { DatasetTabs } from "../datasets/DatasetTabs";
import { GalleryFilters } from "./GalleryFilters";
import { type GalleryFilters as Filters, filtersFromSearch, hasFilters, searchFromFilters } from "./gallery-query";
import { hasMore, type LabelGroup } from "./gallery-state";
import { ImageDialog } from "./ImageDialog";
import { Thumbnail } from "./Thumbnail";
import { useGallery } from "./useGallery";
import { useInView } from "./useInView";
import "./gallery.css";

/** The id of a label's heading: where focus goes when the image that was open is deleted. */
export function groupHeadingId(label: string): string {
	return `gallery-label-${encodeURIComponent(label).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

function LabelSection({
	label,
	group,
	filtered,
	onLoadMore,
	onOpen,
}: {
	label: string;
	group: LabelGroup;
	filtered: boolean;
	onLoadMore: (label: string) => void;
	onOpen: (image: Image) => void;
}) {
	const sectionRef = useRef<HTMLElement>(null);
	const inView = useInView(sectionRef);
	useEffect(() => {
		if (inView && group.status === "idle") onLoadMore(label);
	}, [inView, group.status, label, onLoadMore]);

	const headingId = groupHeadingId(label);
	const shown = group.items.length;
	return (
		<section ref={sectionRef} className="gallery-group" aria-labelledby={headingId}>
			<h2 id={headingId} tabIndex={-1}>
				{label}{" "}
				{group.total !== null && (
					<span className="muted small">
						· {formatNumber(group.total)} {group.total === 1 ? "image" : "images"}
					</span>
				)}
			</h2>
			{shown > 0 && (
				<ul className="gallery-grid" aria-label={`Images of ${label}`}>
					{group.items.map((image) => (
						<Thumbnail key={image.id} image={image} onOpen={onOpen} />
					))}
				</ul>
			)}
			{group.status === "error" ? (
				<ErrorState error={group.error} onRetry={() => onLoadMore(label)} title={`The images of “${label}” could not be loaded`} />
			) : group.status === "ready" && shown === 0 ? (
				<p className="muted">{filtered ? "No image of this label matches the filters." : "No images of this label yet."}</p>
			) : shown === 0 ? (
				<Loading label={`Loading the images of “${label}”…`} />
			) : null}
			{shown > 0 && group.total !== null && (
				<div className="gallery-more">
					<p className="muted small" aria-live="polite">
						Showing {formatNumber(shown)} of {formatNumber(group.total)}
					</p>
					{hasMore(group) && group.status !== "error" && (
						<button type="button" className="button" onClick={() => onLoadMore(label)} disabled={group.status === "loading"}>
							{group.status === "loading" ? "Loading…" : `Load more images of “${label}”`}
						</button>
					)}
				</div>
			)}
		</section>
	);
}

function Gallery({ dataset }: { dataset: Dataset }) {
	const api = useApi();
	const [searchParams, setSearchParams] = useSearchParams();
	const filters = filtersFromSearch(searchParams);
	const labels = dataset.categories.map((category) => category.label);
	const gallery = useGallery(api, dataset.id, labels, filters);
	const [open, setOpen] = useState<{ id: string; initial?: Image } | null>(null);
	const filtered = hasFilters(filters);

	const changeFilters = useCallback(
		(next: Filters) => {
			setSearchParams(searchFromFilters(next));
		},
		[setSearchParams],
	);
	const close = useCallback(() => setOpen(null), []);

	const unknownLabel = filters.label !== "" && gallery.labels.length === 0;
	return (
		<>
			<GalleryFilters filters={filters} labels={labels} sources={dataset.sources} onChange={changeFilters} />
			{unknownLabel ? (
				<EmptyState title={`This dataset has no label “${filters.label}”`}>
					<button type="button" className="button" onClick={() => changeFilters({ ...filters, label: "" })}>
						Show every label
					</button>
				</EmptyState>
			) : labels.length === 0 ? (
				<EmptyState title="This dataset has no labels">
					<Link href={`/datasets/${encodeURIComponent(dataset.id)}/edit`}>Add categories to the dataset</Link>
				</EmptyState>
			) : dataset.stats.images === 0 && !filtered ? (
				<EmptyState title="No images yet">
					<p>Build the dataset to fill its gallery.</p>
					<Link href={`/datasets/${encodeURIComponent(dataset.id)}`}>Go to the dataset</Link>
				</EmptyState>
			) : (
				<div className="gallery">
					{gallery.labels.map((label) => (
						<LabelSection
							key={label}
							label={label}
							group={gallery.groups[label]}
							filtered={filtered}
							onLoadMore={gallery.loadMore}
							onOpen={(image) => setOpen({ id: image.id, initial: image })}
						/>
					))}
				</div>
			)}
			{open && (
				<ImageDialog
					datasetId={dataset.id}
					imageId={open.id}
					initial={open.initial}
					labels={labels}
					onClose={close}
					onOpen={(id) => setOpen({ id })}
					onRelabelled={gallery.relabelled}
					onDeleted={(image) => {
						gallery.removed(image);
						setOpen(null);
					}}
					fallbackFocus={() => document.getElementById(groupHeadingId(open.initial?.label ?? labels[0] ?? ""))}
				/>
			)}
		</>
	);
}

/** `/datasets/:id/gallery`: the dataset's images per label, filtered by the URL's query, with each image's details. */
export function GalleryPage() {
	const { id } = useParams<{ id: string }>();
	const api = useApi();
	const dataset = useResource((signal) => api.datasets.get(id, signal), [api, id]);
	const name = dataset.data?.id === id ? dataset.data.name : null;
	return (
		<section>
			<PageHeader title={name ? `${name}: gallery` : "Gallery"} />
			<DatasetTabs datasetId={id} />
			{dataset.state === "error" ? (
				<ErrorState error={dataset.error} onRetry={dataset.reload} title="The dataset could not be loaded" />
			) : !dataset.data || dataset.data.id !== id ? (
				<Loading label="Loading the dataset…" />
			) : (
				<Gallery dataset={dataset.data} />
			)}
		</section>
	);
}
