import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { errorMessage, isApiError } from "../../api/errors";
import type { Image } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { reasonLabel } from "../../charts/chart-data";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton } from "../../components/CopyButton";
import { Field } from "../../components/Field";
import { formatBytes, formatDate, formatNumber } from "../../components/format";
import { ErrorState, Loading, Notice } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { useResource } from "../../components/useResource";
import { licenceName } from "../exports/options";
import { describeImage, THUMBNAIL_SIZE } from "./Thumbnail";
import { useDialog } from "./useDialog";

/** Near-duplicates listed in the dialog; more are counted, not shown. */
const DUPLICATES_SHOWN = 24;

/** Only web pages are links: a provenance URL in any other scheme is shown as text. */
export function safeHttpUrl(value: string | undefined): string | null {
	if (!value) return null;
	try {
		const url = new URL(value);
		return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
	} catch {
		return null;
	}
}

function ExternalLink({ href, text }: { href: string | undefined; text?: string }) {
	const safe = safeHttpUrl(href);
	if (!safe) return <>{href || "Not known"}</>;
	return (
		<a href={safe} target="_blank" rel="noopener noreferrer">
			{text ?? new URL(safe).host}
			<span className="visually-hidden"> (opens in a new tab)</span>
		</a>
	);
}

function Facts({ image, onOpen }: { image: Image; onOpen: (id: string) => void }) {
	return (
		<dl className="facts">
			<div>
				<dt>Status</dt>
				<dd>
					<StatusBadge status={image.status} />
					{image.reason && <span className="facts-reason"> {reasonLabel(image.reason)}</span>}
				</dd>
			</div>
			{image.duplicateOf && (
				<div>
					<dt>Duplicate of</dt>
					<dd>
						<button type="button" className="button-link" onClick={() => onOpen(image.duplicateOf as string)}>
							Show the image it duplicates
						</button>
					</dd>
				</div>
			)}
			<div>
				<dt>Label</dt>
				<dd>{image.label}</dd>
			</div>
			<div>
				<dt>Source</dt>
				<dd>
					{image.source}
					{image.keyword && <span className="muted"> (search “{image.keyword}”)</span>}
				</dd>
			</div>
			<div>
				<dt>Source page</dt>
				<dd>
					<ExternalLink href={image.pageUrl} />
				</dd>
			</div>
			<div>
				<dt>Original file</dt>
				<dd>
					<ExternalLink href={image.sourceUrl} />
				</dd>
			</div>
			<div>
				<dt>Licence</dt>
				<dd>{licenceName(image.license)}</dd>
			</div>
			<div>
				<dt>Author</dt>
				<dd>{image.author || "Not given"}</dd>
			</div>
			<div>
				<dt>Dimensions</dt>
				<dd>{image.width && image.height ? `${formatNumber(image.width)} × ${formatNumber(image.height)} px` : "Not known"}</dd>
			</div>
			<div>
				<dt>Format</dt>
				<dd>{image.format ?? "Not known"}</dd>
			</div>
			<div>
				<dt>Size</dt>
				<dd>{image.bytes === undefined ? "Not known" : `${formatBytes(image.bytes)} (${formatNumber(image.bytes)} bytes)`}</dd>
			</div>
			<div>
				<dt>SHA-256</dt>
				<dd>
					<code>{image.sha256}</code> <CopyButton text={image.sha256} label="Copy SHA-256" />
				</dd>
			</div>
			<div>
				<dt>Perceptual hash</dt>
				<dd>{image.phash ? <code>{image.phash}</code> : "Not computed"}</dd>
			</div>
			<div>
				<dt>Added</dt>
				<dd>{formatDate(image.createdAt)}</dd>
			</div>
		</dl>
	);
}

/** The images recorded as near-duplicates of this one (`duplicateOf` = its id). */
function Duplicates({ datasetId, image, onOpen }: { datasetId: string; image: Image; onOpen: (id: string) => void }) {
	const api = useApi();
	const headingId = useId();
	const duplicates = useResource(
		(signal) => api.images.list(datasetId, { duplicateOf: image.id, pageSize: DUPLICATES_SHOWN }, signal),
		[api, datasetId, image.id],
	);
	const page = duplicates.data;
	return (
		<section className="dialog-section" aria-labelledby={headingId}>
			<h3 id={headingId}>Near-duplicates of this image{page ? ` (${formatNumber(page.total)})` : ""}</h3>
			{duplicates.state === "error" ? (
				<ErrorState error={duplicates.error} onRetry={duplicates.reload} title="The duplicates could not be loaded" />
			) : !page ? (
				<Loading label="Loading duplicates…" />
			) : page.items.length === 0 ? (
				<p className="muted">No near-duplicate of this image was found.</p>
			) : (
				<>
					<ul className="duplicate-list">
						{page.items.map((duplicate) => (
							<li key={duplicate.id}>
								<button type="button" className="thumb thumb-small" onClick={() => onOpen(duplicate.id)}>
									<span className="thumb-box">
										{duplicate.url ? (
											<img src={duplicate.url} alt="" loading="lazy" decoding="async" width={72} height={72} />
										) : (
											<span className="thumb-missing">No file kept</span>
										)}
									</span>
									<span className="thumb-caption">{describeImage(duplicate)}</span>
								</button>
							</li>
						))}
					</ul>
					{page.total > page.items.length && (
						<p className="muted small">
							{formatNumber(page.total - page.items.length)} more not shown: filter the gallery by status “Duplicate” to see them all.
						</p>
					)}
				</>
			)}
		</section>
	);
}

function RelabelForm({
	datasetId,
	image,
	labels,
	onRelabelled,
}: {
	datasetId: string;
	image: Image;
	labels: string[];
	onRelabelled: (image: Image, from: string) => void;
}) {
	const api = useApi();
	const id = useId();
	const [label, setLabel] = useState(image.label);
	const [busy, setBusy] = useState(false);
	const [outcome, setOutcome] = useState<{ kind: "done"; label: string } | { kind: "same" } | { kind: "error"; error: unknown } | null>(
		null,
	);
	const fieldError =
		outcome?.kind === "same"
			? `The image is in “${image.label}” already: choose another label`
			: outcome?.kind === "error" && isApiError(outcome.error)
				? outcome.error.fieldMessage("label")
				: undefined;

	async function submit(event: FormEvent) {
		event.preventDefault();
		if (busy) return;
		if (label === image.label) {
			setOutcome({ kind: "same" });
			return;
		}
		setBusy(true);
		setOutcome(null);
		try {
			const moved = await api.images.relabel(datasetId, image.id, label);
			setOutcome({ kind: "done", label: moved.label });
			onRelabelled(moved, image.label);
		} catch (error) {
			setOutcome({ kind: "error", error });
		} finally {
			setBusy(false);
		}
	}

	return (
		<form className="relabel" onSubmit={submit} aria-label="Move to another label">
			<Field id={`${id}-label`} label="Label" error={fieldError}>
				{(control) => (
					<select {...control} value={label} onChange={(event) => setLabel(event.target.value)}>
						{(labels.includes(image.label) ? labels : [image.label, ...labels]).map((option) => (
							<option key={option} value={option}>
								{option}
							</option>
						))}
					</select>
				)}
			</Field>
			{/* aria-disabled, not disabled, while it works: a disabled button would drop the keyboard focus */}
			<button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
				{busy ? "Moving…" : "Move to this label"}
			</button>
			{outcome?.kind === "done" && <Notice kind="success">Moved to “{outcome.label}”.</Notice>}
			{outcome?.kind === "error" && !fieldError && <Notice kind="error">{errorMessage(outcome.error)}</Notice>}
		</form>
	);
}

/**
 * One image's details in a modal dialog: what it is and where it came from, its near-duplicates,
 * moving it to another label and deleting it. Escape or Close closes it; focus returns to the
 * thumbnail that opened it.
 */
export function ImageDialog({
	datasetId,
	imageId,
	initial,
	labels,
	onClose,
	onOpen,
	onRelabelled,
	onDeleted,
	fallbackFocus,
}: {
	datasetId: string;
	imageId: string;
	/** The list's copy, shown while the details load. */
	initial?: Image;
	labels: string[];
	onClose: () => void;
	/** Show another image in the dialog (a duplicate, or the image a duplicate copies). */
	onOpen: (imageId: string) => void;
	onRelabelled: (image: Image, from: string) => void;
	onDeleted: (image: Image) => void;
	/** Where focus goes on closing when the thumbnail that opened the dialog is gone. */
	fallbackFocus?: () => HTMLElement | null;
}) {
	const api = useApi();
	const dialogRef = useRef<HTMLDivElement>(null);
	const headingRef = useRef<HTMLHeadingElement>(null);
	const titleId = useId();
	useDialog(dialogRef, onClose, fallbackFocus);
	const detail = useResource((signal) => api.images.get(datasetId, imageId, signal), [api, datasetId, imageId]);
	const [changed, setChanged] = useState<Image | null>(null);
	const [deleteError, setDeleteError] = useState<unknown>(null);

	const loaded = detail.data?.id === imageId ? detail.data : undefined;
	const image = changed?.id === imageId ? changed : (loaded ?? (initial?.id === imageId ? initial : undefined));

	// another image shown in the same dialog: start reading it from its title
	const firstImage = useRef(imageId);
	useEffect(() => {
		if (imageId !== firstImage.current) headingRef.current?.focus();
		setDeleteError(null);
	}, [imageId]);

	async function remove(target: Image) {
		setDeleteError(null);
		try {
			await api.images.delete(datasetId, target.id);
		} catch (error) {
			setDeleteError(error);
			return;
		}
		onDeleted(target);
		onClose();
	}

	return (
		<div className="dialog-backdrop">
			<div ref={dialogRef} className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1}>
				<header className="dialog-header">
					<h2 id={titleId} ref={headingRef} tabIndex={-1}>
						{image ? `Image of “${image.label}”` : "Image"}
					</h2>
					<button type="button" className="button" onClick={onClose} data-autofocus>
						Close
					</button>
				</header>
				{!image ? (
					detail.state === "error" ? (
						<ErrorState error={detail.error} onRetry={detail.reload} title="The image could not be loaded" />
					) : (
						<Loading label="Loading the image…" />
					)
				) : (
					<div className="dialog-body">
						<div className="dialog-preview">
							{image.url ? (
								<img
									src={image.url}
									alt={`${image.label}, from ${image.source}`}
									width={image.width ?? THUMBNAIL_SIZE}
									height={image.height ?? THUMBNAIL_SIZE}
								/>
							) : (
								<p className="thumb-missing">
									{image.status === "rejected" ? "This download was rejected: no file was kept." : "No file is kept for this image."}
								</p>
							)}
						</div>
						<div className="dialog-details">
							{detail.state === "error" && (
								<Notice kind="error">The latest details could not be loaded: {errorMessage(detail.error)}</Notice>
							)}
							<Facts image={image} onOpen={onOpen} />
							<section className="dialog-section" aria-label="Change this image">
								<RelabelForm
									key={image.id}
									datasetId={datasetId}
									image={image}
									labels={labels}
									onRelabelled={(moved, from) => {
										setChanged(moved);
										onRelabelled(moved, from);
									}}
								/>
								<div className="dialog-delete">
									<ConfirmButton question="Delete this image and its file?" confirmLabel="Delete image" onConfirm={() => remove(image)}>
										Delete image
									</ConfirmButton>
								</div>
								{deleteError !== null && <Notice kind="error">The image was not deleted: {errorMessage(deleteError)}</Notice>}
							</section>
							{image.status === "valid" && <Duplicates datasetId={datasetId} image={image} onOpen={onOpen} />}
						</div>
					</div>
				)}
			</div>
		</div>
	);
}
