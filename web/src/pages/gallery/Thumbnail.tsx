import type { Image } from "../../api/types";
import { StatusBadge } from "../../components/StatusBadge";

/** Square cells: the thumbnails keep their place while they load, whatever the image's own size. */
export const THUMBNAIL_SIZE = 160;

/** What a thumbnail is, for its button's accessible name. */
export function describeImage(image: Image): string {
	const parts = [image.label, image.source];
	if (image.width && image.height) parts.push(`${image.width} × ${image.height}`);
	if (image.status !== "valid") parts.push(image.status);
	return parts.join(", ");
}

/** One image of the gallery: a button opening its details, the picture loaded only when near the viewport. */
export function Thumbnail({ image, onOpen }: { image: Image; onOpen: (image: Image) => void }) {
	return (
		<li className="gallery-item">
			<button type="button" className="thumb" onClick={() => onOpen(image)} aria-label={`Details of image: ${describeImage(image)}`}>
				<span className="thumb-box">
					{image.url ? (
						<img src={image.url} alt="" loading="lazy" decoding="async" width={THUMBNAIL_SIZE} height={THUMBNAIL_SIZE} />
					) : (
						<span className="thumb-missing">{image.status === "rejected" ? "Not downloaded" : "No file kept"}</span>
					)}
				</span>
				{image.status !== "valid" && (
					<span className="thumb-status">
						<StatusBadge status={image.status} />
					</span>
				)}
			</button>
		</li>
	);
}
