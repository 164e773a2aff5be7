import type { ExportFormat, License } from "../../api/types";

/**
 * What the dashboard calls each licence code (docs/api.md). A Record over the API's type: a licence
 * the API adds is a compile error here until it has a name.
 */
export const LICENCE_NAMES: Record<License, string> = {
	cc0: "CC0 (no rights reserved)",
	"public-domain": "Public domain",
	"cc-by": "CC BY",
	"cc-by-sa": "CC BY-SA",
	"cc-by-nd": "CC BY-ND",
	"cc-by-nc": "CC BY-NC",
	"cc-by-nc-sa": "CC BY-NC-SA",
	"cc-by-nc-nd": "CC BY-NC-ND",
	unknown: "Unknown (the source named none)",
};

export const LICENCES = Object.keys(LICENCE_NAMES) as License[];

export function licenceName(code: string): string {
	return (LICENCE_NAMES as Record<string, string>)[code] ?? code;
}

/** The export formats with the layout of their archive, as docs/api.md lists them. */
export const EXPORT_FORMATS: Record<ExportFormat, { name: string; layout: string }> = {
	imagefolder: { name: "ImageFolder", layout: "label/<sha256>.<ext> folders, as torchvision's ImageFolder reads them" },
	huggingface: { name: "Hugging Face", layout: 'ImageFolder layout with metadata.jsonl, for load_dataset("imagefolder")' },
	csv: { name: "CSV", layout: "images/ and labels.csv" },
	json: { name: "JSON", layout: "images/ and annotations.json" },
	yaml: { name: "YAML", layout: "images/ and annotations.yaml" },
	txt: { name: "Text labels", layout: "images/, one labels/<sha256>.txt per image, and classes.txt" },
	coco: { name: "COCO", layout: "images/ and annotations/instances.json (whole-image classification annotations)" },
	yolo: { name: "YOLO (classification)", layout: "Ultralytics' split/label/<file> layout" },
};

export const FORMATS = Object.keys(EXPORT_FORMATS) as ExportFormat[];
