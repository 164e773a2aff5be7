/**
 * The dashboard in Debian's Chromium against the compiled platform started as a process: a user's whole
 * journey (sign up → sign in → create a dataset → build it against the fixture web, watching progress →
 * delete an image → export → download → sign out), with every number the pages show checked against the
 * API; then the dataset form's validation errors, keyboard-only navigation and a phone-sized screen.
 * Screenshots of the main pages go to test-artifacts/screenshots/. Any page error, console error or
 * failed request that a step does not announce fails the test it happens in.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { Locator, Page } from "playwright-core";
import {
	type BrowserSession,
	type DashboardPlatform,
	launchBrowser,
	PHONE_VIEWPORT,
	type SlowImageHost,
	sha256,
	slowImageHost,
	startDashboardPlatform,
} from "../support/browser";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { waitUntil } from "../support/gateway";
import { unzip } from "../support/zip";

interface Job {
	id: string;
	status: string;
	targets: Record<string, number>;
	progress: Record<"found" | "downloaded" | "valid" | "duplicates" | "rejected" | "failedTasks", number>;
}
interface Dataset {
	id: string;
	name: string;
	status: string;
	currentJobId: string | null;
	categories: { label: string; keywords: string[]; urls: string[] }[];
	sources: string[];
	options: Record<string, unknown>;
	stats: { images: number; valid: number; duplicates: number; rejected: number };
}
interface Image {
	id: string;
	label: string;
	status: string;
	sha256: string;
}
interface Export {
	id: string;
	status: string;
	sha256: string | null;
	fileName: string;
	imageCount: number | null;
}

/** The terms and definitions of the description lists inside `scope`, as a map ("Valid" → "16"). */
async function facts(scope: Locator): Promise<Record<string, string>> {
	const terms = await scope.getByRole("term").allTextContents();
	const values = await scope.getByRole("definition").allTextContents();
	return Object.fromEntries(terms.map((term, index) => [term.trim(), (values[index] ?? "").trim()]));
}
const count = (text: string | undefined) => Number((text ?? "").replace(/[^\d]/g, ""));

/** The accessible name of the focused element, as a keyboard user hears it. */
const focusedName = (page: Page) =>
	page.evaluate<string>(
		"(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || e.id || e.tagName).trim() : ''; })()",
	);

/**
 * How far the page is wider than the window (0: no horizontal scroll), and the elements that stick out
 * without a scrolling box of theirs to hold them (an absolutely positioned element escapes every box up
 * to its containing block), for the failure message.
 */
const horizontalOverflow = (page: Page) =>
	page.evaluate<{ overflow: number; offenders: string[] }>(`(() => {
		const width = document.documentElement.clientWidth;
		const held = (element) => {
			let position = getComputedStyle(element).position;
			for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
				const style = getComputedStyle(box);
				if (position === "fixed" || (position === "absolute" && style.position === "static")) continue;
				if (style.overflowX !== "visible") return true;
				position = style.position;
			}
			return false;
		};
		const offenders = [...document.body.querySelectorAll("*")]
			.filter((element) => element.getBoundingClientRect().right > width + 0.5 && !held(element))
			.slice(-5)
			.map((element) => {
				const box = element.getBoundingClientRect();
				const classes = typeof element.className === "string" && element.className ? "." + element.className.trim().split(/\\s+/).join(".") : "";
				return element.tagName.toLowerCase() + classes + " " + JSON.stringify((element.textContent || "").trim().slice(0, 30)) + " right edge " + Math.round(box.right) + "px";
			});
		return { overflow: document.documentElement.scrollWidth - width, offenders };
	})()`);

/** Waits until the images in the window have loaded (thumbnails load lazily), so a screenshot shows them. */
const imagesInViewLoaded = (page: Page) =>
	waitUntil(
		() =>
			page.evaluate<boolean>(
				"[...document.images].filter((i) => i.getBoundingClientRect().top < innerHeight).every((i) => i.complete && i.naturalWidth > 0)",
			),
		10000,
		"the images in view to load",
	);

describe("the dashboard in Chromium against the compiled platform", () => {
	const account = { name: "Dana Dashboard", email: `dana-${randomUUID().slice(0, 8)}@example.org`, password: "dashboard-password-1" };
	const datasetName = "Cats and dogs";
	let web: FixtureWeb;
	let front: SlowImageHost;
	let platform: DashboardPlatform;
	let browser: BrowserSession;
	/** The journey's page: one browser context from the sign-up to the sign-out. */
	let page: Page;
	/** The same account's access token, for checking what the pages show against the API. */
	let token: string;
	let datasetId: string;

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 40 });
		// each image 300 ms late, two at a time: the build's download step lasts about three seconds
		front = await slowImageHost(web, 300);
		platform = await startDashboardPlatform(front, {
			CRAWL_PER_HOST_CONCURRENCY: "2",
			// every page load of the dashboard asks POST /auth/refresh, an authentication route (20 a minute per
			// address by default): with sign-up and sign-ins this suite makes 19 in 15 s, all from 127.0.0.1
			RATE_LIMIT_AUTH: "200",
		});
		browser = await launchBrowser();
	}, 60000);

	afterEach(() => {
		expect(browser?.takeProblems() ?? []).toEqual([]);
	});

	afterAll(async () => {
		await browser?.close();
		await platform?.stop();
		await front?.stop();
		await web?.stop();
	});

	const api = <T>(method: string, route: string, body?: unknown) => platform.call<T>(method, route, token, body);
	const currentJob = async () => {
		const dataset = (await api<Dataset>("GET", `/datasets/${datasetId}`)).body;
		return (await api<Job>("GET", `/jobs/${dataset.currentJobId}`)).body;
	};
	/**
	 * A load of a signed-out browser: without the gateway's session hint cookie the dashboard does not try
	 * a refresh that must fail, so the page reaches sign-in without a single failed request.
	 */
	const openSignedOut = async (target: Page, address: string) => {
		const refreshes: string[] = [];
		const watch = (request: { url(): string }) => {
			if (request.url().endsWith("/api/v1/auth/refresh")) refreshes.push(request.url());
		};
		target.on("request", watch);
		try {
			await target.goto(`${platform.url}${address}`);
			await target.getByRole("heading", { name: "Sign in" }).waitFor();
		} finally {
			target.off("request", watch);
		}
		expect(refreshes).toEqual([]);
		expect(browser.takeProblems()).toEqual([]);
	};
	const signIn = async (target: Page) => {
		await target.getByLabel("Email").fill(account.email);
		await target.getByLabel("Password").fill(account.password);
		await target.getByRole("button", { name: "Sign in" }).click();
	};

	it("signs up from the sign-in page and lands on an empty list of datasets", async () => {
		page = await browser.newPage();
		await openSignedOut(page, "/");
		// the root sends a signed-out visitor to sign in, remembering where they were going
		expect(new URL(page.url()).pathname).toBe("/login");
		expect(await page.title()).toBe("Sign in · PixCrawler");
		await browser.screenshot(page, "login");

		await page.getByRole("main").getByRole("link", { name: "Sign up" }).click();
		await page.getByRole("heading", { name: "Create your account" }).waitFor();
		await page.getByLabel("Name").fill(account.name);
		await page.getByLabel("Email").fill(account.email);
		await page.getByLabel("Password").fill(account.password);
		await page.getByRole("button", { name: "Sign up" }).click();

		await page.getByRole("heading", { name: "Datasets" }).waitFor();
		await page.getByText("No datasets yet").waitFor();
		expect(new URL(page.url()).pathname).toBe("/datasets");
		token = await platform.login(account.email, account.password);
		expect((await api<{ email: string; name: string }>("GET", "/auth/me")).body).toMatchObject({
			email: account.email,
			name: account.name,
		});
	}, 30000);

	it("signs out and in again with the new account", async () => {
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.getByRole("heading", { name: "Sign in" }).waitFor();
		await signIn(page);
		await page.getByRole("heading", { name: "Datasets" }).waitFor();
		await page.getByRole("navigation", { name: "Main" }).waitFor();
		expect(await page.getByText(account.name).isVisible()).toBe(true);
	}, 30000);

	it("creates a dataset with the form: two labels searched on Bing (the fixture web)", async () => {
		await page.getByRole("link", { name: "New dataset" }).click();
		await page.getByRole("heading", { name: "New dataset" }).waitFor();
		await page.getByLabel("Name", { exact: true }).fill(datasetName);
		await page.getByLabel("Description").fill("Built by the dashboard's end-to-end test.");
		await page.getByLabel("Label 1").fill("cat");
		await page.getByLabel("Keywords").nth(0).fill("cat");
		await page.getByRole("button", { name: "Add a category" }).click();
		// the new row's label takes the focus
		const secondLabel = await page.getByLabel("Label 2").getAttribute("id");
		await waitUntil(
			async () => (await page.evaluate<string>("document.activeElement.id")) === secondLabel,
			5000,
			"the new label to take the focus",
		);
		await page.keyboard.type("dog");
		await page.getByLabel("Keywords").nth(1).fill("dog");
		const sources = page.getByRole("group", { name: "Sources" });
		await sources.getByLabel("Wikimedia Commons").uncheck();
		await sources.getByLabel("Openverse").uncheck();
		await sources.getByLabel("Bing").check();
		await page.getByLabel("Images per keyword").fill("5");
		await browser.screenshot(page, "dataset-form");

		await page.getByRole("button", { name: "Create dataset" }).click();
		await page.getByRole("heading", { name: datasetName }).waitFor();
		datasetId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
		const { status, body } = await api<Dataset>("GET", `/datasets/${datasetId}`);
		expect(status).toBe(200);
		expect(body).toMatchObject({
			name: datasetName,
			status: "draft",
			categories: [
				{ label: "cat", keywords: ["cat"], urls: [] },
				{ label: "dog", keywords: ["dog"], urls: [] },
			],
			sources: ["bing"],
			options: expect.objectContaining({ maxImagesPerKeyword: 5 }),
		});
	}, 30000);

	it("builds the dataset and shows its progress live, ending on the API's numbers", async () => {
		const build = page.getByRole("region", { name: "Build" });
		await build.getByText("Not built yet").waitFor();
		await build.getByRole("button", { name: "Start build" }).click();

		// the counters as the page shows them, read until the page says the build has finished
		const seen: { downloaded: number; valid: number }[] = [];
		let screenshotTaken = false;
		await waitUntil(
			async () => {
				const shown = await facts(build);
				if (shown.Downloaded !== undefined) seen.push({ downloaded: count(shown.Downloaded), valid: count(shown.Valid) });
				const last = seen.at(-1);
				if (!screenshotTaken && last && last.downloaded > 0) {
					// the window only: this one is the README's picture of the dashboard (docs/images/dashboard.png)
					await browser.screenshot(page, "build-progress", { fullPage: false });
					screenshotTaken = true;
				}
				return build.getByText("Finished", { exact: true }).isVisible();
			},
			60000,
			"the build page to show the end of the build",
		);
		const job = await currentJob();
		expect(job.status).toBe("done");
		expect(job.progress.valid).toBeGreaterThan(0);

		// the counts moved: the page showed values between nothing and the final numbers while it ran
		const valids = [...new Set(seen.map((one) => one.valid))];
		expect(valids.some((value) => value > 0 && value < job.progress.valid)).toBe(true);
		expect(valids).toEqual([...valids].sort((a, b) => a - b));

		const shown = await facts(build);
		expect({
			found: count(shown.Found),
			downloaded: count(shown.Downloaded),
			valid: count(shown.Valid),
			duplicates: count(shown.Duplicates),
			rejected: count(shown.Rejected),
			failedTasks: count(shown["Failed tasks"]),
		}).toEqual(job.progress);
		const target = Object.values(job.targets).reduce((sum, value) => sum + value, 0);
		await build.getByText(`${job.progress.valid} of ${target} images kept`).waitFor();
		expect(await build.getByText("done", { exact: true }).isVisible()).toBe(true);

		// the dataset's own contents, read again at the end of the build
		const dataset = (await api<Dataset>("GET", `/datasets/${datasetId}`)).body;
		expect(dataset.status).toBe("ready");
		const contents = page.getByRole("region", { name: "Contents" });
		await waitUntil(
			async () => count((await facts(contents)).Valid) === dataset.stats.valid,
			10000,
			"the contents to show the build's images",
		);
		expect(await page.getByRole("row", { name: /^cat \d+/ }).isVisible()).toBe(true);
		await browser.screenshot(page, "build-done");
	}, 90000);

	it("lists the built dataset with the API's counts", async () => {
		await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" }).click();
		await page.getByRole("heading", { name: "Datasets", exact: true }).waitFor();
		const dataset = (await api<Dataset>("GET", `/datasets/${datasetId}`)).body;
		const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: datasetName }) });
		await card.waitFor();
		const shown = await facts(card);
		expect({
			images: count(shown.Images),
			valid: count(shown.Valid),
			duplicates: count(shown.Duplicates),
			rejected: count(shown.Rejected),
		}).toEqual({
			images: dataset.stats.images,
			valid: dataset.stats.valid,
			duplicates: dataset.stats.duplicates,
			rejected: dataset.stats.rejected,
		});
		expect(await card.getByText("ready", { exact: true }).isVisible()).toBe(true);
		await browser.screenshot(page, "datasets-list");
	}, 30000);

	it("opens an image in the gallery and deletes it: the API no longer has it", async () => {
		await page.getByRole("link", { name: datasetName }).click();
		await page.getByRole("navigation", { name: "Dataset" }).getByRole("link", { name: "Gallery" }).click();
		await page.getByRole("heading", { name: `${datasetName}: gallery` }).waitFor();
		const thumbnail = page.getByRole("button", { name: /^Details of image: cat, bing, \d+ × \d+$/ }).first();
		await thumbnail.waitFor();
		await imagesInViewLoaded(page);
		await browser.screenshot(page, "gallery");
		const before = (await api<Dataset>("GET", `/datasets/${datasetId}`)).body.stats;
		const catHeading = page.getByRole("heading", { name: /^cat · \d+ images?$/ });
		const catsBefore = count((await catHeading.textContent()) ?? "");

		await thumbnail.click();
		const dialog = page.getByRole("dialog", { name: "Image of “cat”" });
		await dialog.waitFor();
		const checksum = dialog.getByRole("definition").filter({ has: page.getByRole("button", { name: "Copy SHA-256" }) });
		const imageSha = /[0-9a-f]{64}/.exec((await checksum.textContent()) ?? "")?.[0];
		expect(imageSha).toBeDefined();
		await dialog.getByRole("img").waitFor();
		await imagesInViewLoaded(page);
		await browser.screenshot(page, "image-detail");
		const images = (await api<{ items: Image[] }>("GET", `/datasets/${datasetId}/images?label=cat&status=valid&pageSize=100`)).body.items;
		const image = images.find((one) => one.sha256 === imageSha);
		expect(image).toBeDefined();

		// asked twice: the first press shows the question, the second deletes
		await dialog.getByRole("button", { name: "Delete image" }).click();
		await dialog.getByRole("group", { name: "Delete this image and its file?" }).getByRole("button", { name: "Delete image" }).click();
		await dialog.waitFor({ state: "detached" });
		await page.getByRole("heading", { name: `cat · ${catsBefore - 1} ${catsBefore - 1 === 1 ? "image" : "images"}` }).waitFor();

		expect((await api("GET", `/datasets/${datasetId}/images/${image?.id}`)).status).toBe(404);
		const after = (await api<Dataset>("GET", `/datasets/${datasetId}`)).body.stats;
		expect(after.valid).toBe(before.valid - 1);
	}, 30000);

	it("creates an export and downloads it: the file's SHA-256 is the one the API reports", async () => {
		await page.getByRole("navigation", { name: "Dataset" }).getByRole("link", { name: "Exports" }).click();
		await page.getByRole("heading", { name: `${datasetName}: exports` }).waitFor();
		const form = page.getByRole("form", { name: "New export" });
		expect(await form.getByRole("radio", { checked: true }).count()).toBe(1);
		await form.getByRole("button", { name: "Create export" }).click();
		await form
			.getByRole("status")
			.filter({ hasText: /^Export .* started/ })
			.waitFor();

		// the list reads the export again every two seconds until it is written
		const download = page.getByRole("button", { name: /^Download \(/ });
		await download.waitFor({ timeout: 30000 });
		await browser.screenshot(page, "exports");
		const exports = (await api<{ items: Export[] }>("GET", `/datasets/${datasetId}/exports`)).body.items;
		expect(exports).toHaveLength(1);
		const reported = (await api<Export>("GET", `/exports/${exports[0].id}`)).body;
		expect(reported.status).toBe("ready");
		expect(await page.getByText(reported.sha256 ?? "unset", { exact: true }).isVisible()).toBe(true);

		const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
		expect(file.suggestedFilename()).toBe(reported.fileName);
		const bytes = fs.readFileSync(await file.path());
		expect(sha256(bytes)).toBe(reported.sha256);

		// the archive holds the dataset's valid images as the API lists them: the deleted one is not among them
		const valid = (await api<{ items: Image[] }>("GET", `/datasets/${datasetId}/images?status=valid&pageSize=100`)).body.items;
		const manifest = ((await unzip(bytes)).get("manifest.jsonl")?.toString("utf8") ?? "")
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line) as { sha256: string });
		expect(manifest.map((row) => row.sha256).sort()).toEqual(valid.map((image) => image.sha256).sort());
	}, 60000);

	it("creates an API token on the account page, shown once, that the API accepts", async () => {
		await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
		await page.getByRole("heading", { name: "Account" }).waitFor();
		const tokens = page.getByRole("region", { name: "API tokens" });
		await tokens.getByLabel("Name").fill("training laptop");
		await tokens.getByRole("button", { name: "Create token" }).click();
		const created = tokens.getByRole("status").filter({ hasText: "Token “training laptop” created" });
		await created.waitFor();
		const secret = ((await created.getByTestId("new-token").textContent()) ?? "").trim();
		const answer = await platform.call("GET", "/datasets", secret);
		expect(answer.status).toBe(200);
		await browser.screenshot(page, "account-tokens");
		await created.getByRole("button", { name: "I have stored it" }).click();
		await created.waitFor({ state: "detached" });
		await tokens.getByRole("rowheader", { name: "training laptop" }).waitFor();
		expect(await page.getByText(secret).count()).toBe(0);
	}, 30000);

	it("signs out: the session is over, a signed-in address sends the browser to sign in", async () => {
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.getByRole("heading", { name: "Sign in" }).waitFor();
		// a reload has no session cookie to restore from
		await openSignedOut(page, "/datasets");
		expect(new URL(page.url()).pathname).toBe("/login");
		expect(new URL(page.url()).searchParams.get("next")).toBe("/datasets");
	}, 30000);

	describe("in a second browser session", () => {
		let second: Page;

		beforeAll(async () => {
			second = await browser.newPage();
			await openSignedOut(second, "/datasets");
			await signIn(second);
			await second.getByRole("heading", { name: "Datasets" }).waitFor();
		}, 30000);

		it("shows the API's validation errors beside the fields of a bad dataset form", async () => {
			await second.getByRole("link", { name: "New dataset" }).click();
			await second.getByRole("heading", { name: "New dataset" }).waitFor();
			await second.getByLabel("Label 1").fill("cats/dogs");
			const sources = second.getByRole("group", { name: "Sources" });
			await sources.getByLabel("Wikimedia Commons").uncheck();
			await sources.getByLabel("Openverse").uncheck();
			await browser.expectProblems(/status of 422 .*\/api\/v1\/datasets/, async () => {
				await second.getByRole("button", { name: "Create dataset" }).click();
				await second.getByRole("alert").filter({ hasText: "Please correct these fields" }).waitFor();
			});

			// each refused field is marked invalid and described by the API's message, shown beside it
			for (const field of [second.getByLabel("Name", { exact: true }), second.getByLabel("Label 1")]) {
				expect(await field.getAttribute("aria-invalid")).toBe("true");
				const described = (await field.getAttribute("aria-describedby")) ?? "";
				const errorId = described.split(" ").find((id) => id.endsWith("-error"));
				expect(errorId).toBeDefined();
				const message = ((await second.locator(`[id="${errorId}"]`).textContent()) ?? "").trim();
				expect(message).not.toBe("");
				// the error is right under its control
				const [control, error] = await Promise.all([field.boundingBox(), second.locator(`[id="${errorId}"]`).boundingBox()]);
				expect(error && control && error.y >= control.y + control.height - 1 && error.y - (control.y + control.height) < 40).toBe(true);
			}
			expect(await second.getByText("Use 1-100 letters, digits, spaces, dots, dashes or underscores").count()).toBeGreaterThan(0);
			const sourcesError = await sources.getAttribute("aria-describedby");
			expect(sourcesError).toBe("dataset-sources-error");
			expect(((await second.locator('[id="dataset-sources-error"]').textContent()) ?? "").trim()).not.toBe("");
			await browser.screenshot(second, "dataset-form-errors");
			// nothing was created
			expect((await api<{ total: number }>("GET", "/datasets")).body.total).toBe(1);
		}, 30000);

		it("can be used with the keyboard alone: skip link, main navigation, visible focus", async () => {
			await second.goto(`${platform.url}/datasets`);
			await second.getByRole("heading", { name: "Datasets" }).waitFor();
			const stops: string[] = [];
			for (let index = 0; index < 6; index++) {
				await second.keyboard.press("Tab");
				stops.push(await focusedName(second));
				// every stop shows where the focus is
				expect(await second.evaluate<string>("getComputedStyle(document.activeElement).outlineStyle")).not.toBe("none");
			}
			expect(stops).toEqual(["Skip to content", "PixCrawler", "Datasets", "Projects", "Account", "Sign out"]);

			// back to the Account entry and Enter: the page opens and its heading takes the focus
			await second.keyboard.press("Shift+Tab");
			expect(await focusedName(second)).toBe("Account");
			await second.keyboard.press("Enter");
			await second.getByRole("heading", { name: "Account" }).waitFor();
			expect(new URL(second.url()).pathname).toBe("/account");
			expect(await focusedName(second)).toBe("Account");
			expect(await second.evaluate<string>("document.activeElement.tagName")).toBe("H1");
			const nav = second.getByRole("navigation", { name: "Main" });
			expect(await nav.getByRole("link", { name: "Account" }).getAttribute("aria-current")).toBe("page");

			// the skip link jumps over the header to the page's content
			await second.goto(`${platform.url}/datasets`);
			await second.getByRole("heading", { name: "Datasets" }).waitFor();
			await second.keyboard.press("Tab");
			expect(await focusedName(second)).toBe("Skip to content");
			await second.keyboard.press("Enter");
			expect(await second.evaluate<string>("document.activeElement.id")).toBe("main");
			await second.keyboard.press("Tab");
			expect(await focusedName(second)).toBe("New dataset");
			await second.keyboard.press("Enter");
			await second.getByRole("heading", { name: "New dataset" }).waitFor();
		}, 30000);

		it("fits a phone's screen (390×844) without horizontal scrolling on every main page", async () => {
			await second.setViewportSize(PHONE_VIEWPORT);
			const overflowing: string[] = [];
			const check = async (heading: string) => {
				await second.getByRole("heading", { name: heading, exact: true }).waitFor();
				// what the page loads after its heading (lists, tables) counts too
				await waitUntil(
					async () =>
						(await second
							.getByRole("status")
							.filter({ hasText: /^(Loading|Restoring)/ })
							.count()) === 0,
					10000,
					`${heading} to finish loading`,
				);
				const { overflow, offenders } = await horizontalOverflow(second);
				const address = new URL(second.url()).pathname;
				if (overflow > 0) overflowing.push(`${address}: ${overflow}px wider than the screen (${offenders.join(", ")})`);
			};
			const pages: [string, string][] = [
				["/datasets", "Datasets"],
				["/datasets/new", "New dataset"],
				[`/datasets/${datasetId}`, datasetName],
				[`/datasets/${datasetId}/edit`, `${datasetName}: definition`],
				[`/datasets/${datasetId}/gallery`, `${datasetName}: gallery`],
				[`/datasets/${datasetId}/exports`, `${datasetName}: exports`],
				["/projects", "Projects"],
				["/account", "Account"],
			];
			for (const [address, heading] of pages) {
				await second.goto(`${platform.url}${address}`);
				await check(heading);
				if (address === "/datasets") await browser.screenshot(second, "phone-datasets");
				if (address === `/datasets/${datasetId}`) await browser.screenshot(second, "phone-build");
			}
			// the main navigation stays reachable on a phone
			expect(await second.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Datasets" }).isVisible()).toBe(true);

			// and the signed-out pages
			await second.getByRole("button", { name: "Sign out" }).click();
			await check("Sign in");
			await second.getByRole("main").getByRole("link", { name: "Sign up" }).click();
			await check("Create your account");
			expect(overflowing).toEqual([]);
		}, 60000);
	});
});
