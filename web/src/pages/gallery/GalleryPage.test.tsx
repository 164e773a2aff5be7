import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Image } from "../../api/types";
import { fakeApi, page, type RecordedRequest, signedInRoutes } from "../../test/fake-api";
import { renderAt } from "../../test/render";
import { dataset, image } from "./fixtures";

/** The images route of a fake API: the given images, filtered and paged as the API does. */
function imagesRoute(images: Image[]) {
	return (request: RecordedRequest) => {
		const query = request.query;
		const matching = images.filter((item) =>
			(["label", "status", "source", "license", "duplicateOf"] as const).every((key) => {
				const wanted = query.get(key);
				return wanted === null || item[key] === wanted;
			}),
		);
		const number = Number(query.get("page") ?? 1);
		const size = Number(query.get("pageSize") ?? 20);
		return { body: page(matching.slice((number - 1) * size, number * size), matching.length, number, size) };
	};
}

function setup(images: Image[], extra: Parameters<typeof signedInRoutes>[0] = {}) {
	const detail = Object.fromEntries(images.map((item) => [`GET /datasets/d1/images/${item.id}`, { body: item }]));
	return fakeApi(
		signedInRoutes({
			"GET /datasets/d1": { body: dataset() },
			"GET /datasets/d1/images": imagesRoute(images),
			...detail,
			...extra,
		}),
	);
}

const listRequests = (requests: RecordedRequest[]) =>
	requests.filter((request) => request.method === "GET" && request.path === "/datasets/d1/images" && !request.query.has("duplicateOf"));

describe("the gallery", () => {
	it("shows each label's thumbnails, lazily loaded in boxes of a fixed size", async () => {
		const { api, requests } = setup([image("a"), image("b"), image("d", { label: "dog" })]);
		renderAt("/datasets/d1/gallery", api);
		expect(await screen.findByRole("heading", { level: 1, name: "Pets: gallery" })).toBeInTheDocument();
		const cats = await screen.findByRole("list", { name: "Images of cat" });
		const thumbnails = within(cats).getAllByRole("button");
		expect(thumbnails).toHaveLength(2);
		expect(thumbnails[0]).toHaveAccessibleName("Details of image: cat, wikimedia, 640 × 480");
		const picture = cats.querySelector("img") as HTMLImageElement;
		expect(picture).toHaveAttribute("loading", "lazy");
		expect(picture).toHaveAttribute("width", "160");
		expect(picture).toHaveAttribute("height", "160");
		expect(await screen.findByRole("list", { name: "Images of dog" })).toBeInTheDocument();
		expect(listRequests(requests).map((request) => request.query.toString())).toEqual([
			"label=cat&page=1&pageSize=24",
			"label=dog&page=1&pageSize=24",
		]);
		expect(screen.getByRole("link", { name: "Gallery" })).toHaveAttribute("aria-current", "page");
	});

	it("puts the filters in the URL's query and asks the API with them", async () => {
		const { api, requests } = setup([image("a"), image("r", { status: "rejected", reason: "too_small", url: null })]);
		const { location } = renderAt("/datasets/d1/gallery", api);
		await screen.findByRole("list", { name: "Images of cat" });

		await userEvent.selectOptions(screen.getByLabelText("Status"), "rejected");
		await waitFor(() => expect(location.history.at(-1)).toBe("/datasets/d1/gallery?status=rejected"));
		await userEvent.selectOptions(screen.getByLabelText("Label"), "cat");
		await userEvent.selectOptions(screen.getByLabelText("Licence"), "cc-by");
		await userEvent.selectOptions(screen.getByLabelText("Source"), "wikimedia");
		await waitFor(() =>
			expect(location.history.at(-1)).toBe("/datasets/d1/gallery?label=cat&status=rejected&source=wikimedia&license=cc-by"),
		);
		const cats = await screen.findByRole("list", { name: "Images of cat" });
		expect(within(cats).getByRole("button")).toHaveAccessibleName("Details of image: cat, wikimedia, 640 × 480, rejected");
		expect(screen.queryByRole("heading", { name: /^dog/ })).not.toBeInTheDocument();
		expect(listRequests(requests).at(-1)?.query.toString()).toBe(
			"label=cat&page=1&pageSize=24&status=rejected&source=wikimedia&license=cc-by",
		);

		await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
		await waitFor(() => expect(location.history.at(-1)).toBe("/datasets/d1/gallery"));
		expect(screen.getByLabelText("Label")).toHaveFocus();
	});

	it("opens at the filters of its URL", async () => {
		const { api, requests } = setup([image("a"), image("d", { label: "dog", license: "cc0" })]);
		renderAt("/datasets/d1/gallery?label=dog&license=cc0", api);
		const dogs = await screen.findByRole("list", { name: "Images of dog" });
		expect(within(dogs).getAllByRole("button")).toHaveLength(1);
		expect(screen.getByLabelText("Label")).toHaveValue("dog");
		expect(screen.getByLabelText("Licence")).toHaveValue("cc0");
		expect(listRequests(requests).map((request) => request.query.get("label"))).toEqual(["dog"]);
	});

	it("says when a label has nothing under the filters", async () => {
		const { api } = setup([image("a")]);
		renderAt("/datasets/d1/gallery?status=duplicate", api);
		expect(await screen.findAllByText("No image of this label matches the filters.")).toHaveLength(2);
	});

	it("loads the next page with Load more and stops at the last", async () => {
		const many = Array.from({ length: 30 }, (_, index) => image(`c${index}`));
		const { api, requests } = setup(many);
		renderAt("/datasets/d1/gallery?label=cat", api);
		const cats = await screen.findByRole("list", { name: "Images of cat" });
		expect(within(cats).getAllByRole("button")).toHaveLength(24);
		expect(screen.getByText("Showing 24 of 30")).toBeInTheDocument();
		await userEvent.click(screen.getByRole("button", { name: "Load more images of “cat”" }));
		await waitFor(() => expect(within(cats).getAllByRole("button")).toHaveLength(30));
		expect(screen.getByText("Showing 30 of 30")).toBeInTheDocument();
		expect(screen.queryByRole("button", { name: /Load more/ })).not.toBeInTheDocument();
		expect(listRequests(requests).map((request) => request.query.get("page"))).toEqual(["1", "2"]);
	});

	it("shows an error with a way to try again when a label's images fail to load", async () => {
		let calls = 0;
		const { api } = setup([], {
			"GET /datasets/d1/images": () =>
				++calls === 1
					? { status: 503, body: { status: 503, title: "Service Unavailable", detail: "The dataset service is not reachable" } }
					: { body: page([image("a")]) },
		});
		renderAt("/datasets/d1/gallery?label=cat", api);
		expect(await screen.findByText("The dataset service is not reachable")).toBeInTheDocument();
		await userEvent.click(screen.getByRole("button", { name: "Try again" }));
		expect(await screen.findByRole("list", { name: "Images of cat" })).toBeInTheDocument();
	});
});

describe("the image dialog", () => {
	async function openFirst(images: Image[], extra: Parameters<typeof signedInRoutes>[0] = {}) {
		const fake = setup(images, extra);
		const view = renderAt("/datasets/d1/gallery?label=cat", fake.api);
		const cats = await view.findByRole("list", { name: "Images of cat" });
		const opener = within(cats).getAllByRole("button")[0];
		await userEvent.click(opener);
		const dialog = await screen.findByRole("dialog", { name: "Image of “cat”" });
		return { ...fake, ...view, opener, dialog };
	}

	it("shows where the image came from, its licence, size and hashes", async () => {
		const { dialog } = await openFirst([image("a")]);
		expect(dialog).toHaveAttribute("aria-modal", "true");
		const page = within(dialog).getByRole("link", { name: /^commons\.example\.org ?\(opens in a new tab\)$/ });
		expect(page).toHaveAttribute("href", "https://commons.example.org/wiki/a");
		expect(page).toHaveAttribute("target", "_blank");
		expect(page).toHaveAttribute("rel", "noopener noreferrer");
		expect(within(dialog).getByText("CC BY")).toBeInTheDocument();
		expect(within(dialog).getByText("Jane Doe")).toBeInTheDocument();
		expect(within(dialog).getByText("640 × 480 px")).toBeInTheDocument();
		expect(within(dialog).getByText("jpeg")).toBeInTheDocument();
		expect(within(dialog).getByText("12 KB (12,345 bytes)")).toBeInTheDocument();
		expect(within(dialog).getByText(image("a").sha256)).toBeInTheDocument();
		expect(within(dialog).getByText("0123456789abcdef")).toBeInTheDocument();
		expect(await within(dialog).findByText("No near-duplicate of this image was found.")).toBeInTheDocument();
	});

	it("shows why an image was rejected, and never links a provenance URL that is not a web page", async () => {
		const { dialog } = await openFirst([
			image("r", { status: "rejected", reason: "too_small", url: null, pageUrl: "javascript:alert(1)", phash: undefined }),
		]);
		expect(within(dialog).getByText("too small")).toBeInTheDocument();
		expect(within(dialog).getByText("javascript:alert(1)").closest("a")).toBeNull();
		expect(within(dialog).getByText("This download was rejected: no file was kept.")).toBeInTheDocument();
	});

	it("keeps the keyboard inside, closes on Escape and gives focus back to the thumbnail", async () => {
		const { dialog, opener } = await openFirst([image("a")]);
		const close = within(dialog).getByRole("button", { name: "Close" });
		expect(close).toHaveFocus();
		await within(dialog).findByText("No near-duplicate of this image was found.");
		await userEvent.tab({ shift: true });
		expect(dialog.contains(document.activeElement)).toBe(true);
		expect(document.activeElement).not.toBe(close);
		const last = document.activeElement;
		await userEvent.tab();
		expect(close).toHaveFocus();
		// every stop of a full round stays inside the dialog
		for (let step = 0; step < 12; step++) {
			await userEvent.tab();
			expect(dialog.contains(document.activeElement)).toBe(true);
		}
		expect(last).not.toBeNull();
		await userEvent.keyboard("{Escape}");
		expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
		expect(opener).toHaveFocus();
	});

	it("lists the images recorded as its near-duplicates and opens one", async () => {
		const twin = image("twin", { status: "duplicate", duplicateOf: "a", reason: "near_duplicate", url: null });
		const { dialog, requests } = await openFirst([image("a"), twin]);
		const list = await within(dialog).findByRole("heading", { name: "Near-duplicates of this image (1)" });
		expect(list).toBeInTheDocument();
		const asked = requests.find((request) => request.path === "/datasets/d1/images" && request.query.has("duplicateOf"));
		expect(asked?.query.get("duplicateOf")).toBe("a");
		await userEvent.click(within(dialog).getByRole("button", { name: /twin|cat, wikimedia, 640 × 480, duplicate/ }));
		expect(await within(dialog).findByText("near duplicate")).toBeInTheDocument();
		expect(within(dialog).getByRole("button", { name: "Show the image it duplicates" })).toBeInTheDocument();
		expect(requests.some((request) => request.path === "/datasets/d1/images/twin")).toBe(true);
	});

	it("moves the image to another label and updates both groups", async () => {
		const { dialog, requests } = await openFirst([image("a"), image("b"), image("d", { label: "dog" })], {
			"PATCH /datasets/d1/images/a": (request) => ({ body: image("a", { label: (request.body as { label: string }).label }) }),
		});
		const label = within(dialog).getByLabelText("Label");
		const move = within(dialog).getByRole("button", { name: "Move to this label" });
		await userEvent.click(move);
		expect(within(dialog).getByText("The image is in “cat” already: choose another label")).toBeInTheDocument();
		expect(requests.some((request) => request.method === "PATCH")).toBe(false);
		await userEvent.selectOptions(label, "dog");
		await userEvent.click(move);
		expect(await within(dialog).findByText("Moved to “dog”.")).toBeInTheDocument();
		const patch = requests.find((request) => request.method === "PATCH");
		expect(patch).toMatchObject({ path: "/datasets/d1/images/a", body: { label: "dog" } });
		await userEvent.keyboard("{Escape}");
		// the gallery showed only cats: the moved image leaves it
		const cats = screen.getByRole("list", { name: "Images of cat" });
		expect(within(cats).getAllByRole("button")).toHaveLength(1);
		expect(screen.getByRole("heading", { level: 2, name: /^cat ?· 1 image$/ })).toBeInTheDocument();
	});

	it("shows the API's refusal of a label beside the field", async () => {
		const { dialog } = await openFirst([image("a")], {
			"PATCH /datasets/d1/images/a": {
				status: 422,
				body: { status: 422, title: "Unprocessable Entity", detail: "Invalid", errors: [{ field: "label", message: "No such label" }] },
			},
		});
		await userEvent.selectOptions(within(dialog).getByLabelText("Label"), "dog");
		await userEvent.click(within(dialog).getByRole("button", { name: "Move to this label" }));
		expect(await within(dialog).findByText("No such label")).toBeInTheDocument();
		expect(within(dialog).getByLabelText("Label")).toHaveAttribute("aria-invalid", "true");
	});

	it("deletes the image after confirmation and takes it out of the gallery", async () => {
		const { dialog, requests } = await openFirst([image("a"), image("b")], { "DELETE /datasets/d1/images/a": { status: 204 } });
		await userEvent.click(within(dialog).getByRole("button", { name: "Delete image" }));
		expect(within(dialog).getByText("Delete this image and its file?")).toBeInTheDocument();
		expect(requests.some((request) => request.method === "DELETE")).toBe(false);
		// Escape first cancels the question, not the dialog
		await userEvent.keyboard("{Escape}");
		expect(screen.getByRole("dialog")).toBeInTheDocument();
		expect(within(dialog).queryByText("Delete this image and its file?")).not.toBeInTheDocument();
		await userEvent.click(within(dialog).getByRole("button", { name: "Delete image" }));
		await userEvent.click(within(dialog).getByRole("button", { name: "Delete image" }));
		await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
		expect(requests.find((request) => request.method === "DELETE")?.path).toBe("/datasets/d1/images/a");
		const cats = screen.getByRole("list", { name: "Images of cat" });
		expect(within(cats).getAllByRole("button")).toHaveLength(1);
		expect(within(cats).getByRole("button")).toHaveAccessibleName("Details of image: cat, wikimedia, 640 × 480");
		expect(screen.getByRole("heading", { level: 2, name: /^cat/ })).toHaveFocus();
	});
});
