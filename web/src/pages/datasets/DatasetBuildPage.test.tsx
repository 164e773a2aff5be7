import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, page, signedInRoutes } from "../../test/fake-api";
import { datasetFixture, jobFixture } from "../../test/fixtures";
import { renderAt } from "../../test/render";

const METADATA = {
	datasetId: "ds1",
	status: "running",
	currentJobId: "job1",
	images: 60,
	perLabel: { cat: 25, dog: 15 },
	perStatus: { valid: 40, duplicate: 5, rejected: 15 },
	perSource: {},
	perLicense: {},
	duplicates: 5,
	rejectionReasons: {},
	bytes: 1000,
	width: null,
	height: null,
};

const building = () => datasetFixture({ status: "running", currentJobId: "job1" });

describe("the build page", () => {
	it("follows the build live: step, counters per status, valid images per label", async () => {
		const running = jobFixture();
		const later = jobFixture({ eventSeq: 8, step: "finalize", progress: { ...running.progress, found: 150, valid: 70 } });
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /datasets/ds1": { body: building() },
				"GET /datasets/ds1/metadata": { body: METADATA },
				"GET /datasets/ds1/events": {
					events: [
						{ event: "snapshot", data: running, id: 7 },
						{ event: "step", data: later, id: 8 },
					],
					open: true,
				},
				"GET /jobs/job1/logs": {
					body: page([
						{ id: "l1", jobId: "job1", level: "info", message: "Round 1 planned", data: { searches: 4 }, createdAt: running.createdAt },
					]),
				},
				"GET /jobs/job1/tasks": {
					body: page([
						{
							...{ id: "t1", jobId: "job1", ownerId: "user-1", type: "crawl.search", key: "k", groupId: null },
							payload: { label: "cat", keyword: "tabby cat", source: "wikimedia", round: 1 },
							status: "done",
							attempts: 1,
							maxAttempts: 3,
							nextRunAt: null,
							leaseUntil: null,
							lastError: null,
							result: null,
							createdAt: running.createdAt,
							startedAt: null,
							finishedAt: null,
							updatedAt: running.updatedAt,
						},
					]),
				},
			}),
		);
		renderAt("/datasets/ds1", api);
		const build = await screen.findByRole("region", { name: "Build" });
		await waitFor(() => expect(within(build).getByText("150")).toBeInTheDocument());
		const counters = within(build)
			.getAllByRole("term")
			.map((term) => `${term.textContent}=${term.nextElementSibling?.textContent}`);
		expect(counters).toEqual(["Found=150", "Downloaded=60", "Valid=70", "Duplicates=5", "Rejected=15", "Failed tasks=0"]);
		expect(within(build).getByText("Finalizing")).toHaveAttribute("aria-current", "step");
		expect(within(build).getByText(/70 of 200 images kept/)).toBeInTheDocument();
		expect(within(build).getByRole("progressbar", { name: "Build progress" })).toHaveAttribute("value", "35");
		expect(within(build).getByText("Live")).toBeInTheDocument();

		const labels = await screen.findByRole("table", { name: "Valid images per label" });
		await waitFor(() => expect(within(labels).getByRole("row", { name: /cat 25 100/ })).toBeInTheDocument());
		expect(within(labels).getByRole("row", { name: /dog 15 100/ })).toBeInTheDocument();

		expect(await screen.findByText("Round 1 planned")).toBeInTheDocument();
		expect(screen.getByText("searches: 4")).toBeInTheDocument();
		expect(await screen.findByText("cat · tabby cat · wikimedia · round 1")).toBeInTheDocument();
		// the stream carried the access token
		expect(requests.find((request) => request.path === "/datasets/ds1/events")?.headers.Authorization).toBe("Bearer access-1");
	});

	it("reads the dataset again as the build goes: the header's status and the contents follow it", async () => {
		let reads = 0;
		const { api } = fakeApi(
			signedInRoutes({
				"GET /datasets/ds1": () => ({
					body:
						++reads === 1
							? datasetFixture({ status: "queued", currentJobId: "job1" })
							: datasetFixture({
									status: "running",
									currentJobId: "job1",
									stats: { images: 42, valid: 40, duplicates: 2, rejected: 0, bytes: 0 },
								}),
				}),
				"GET /datasets/ds1/metadata": { body: METADATA },
				"GET /datasets/ds1/events": {
					events: [
						{ event: "snapshot", data: jobFixture(), id: 7 },
						{ event: "progress", data: jobFixture({ eventSeq: 8 }), id: 8 },
					],
					open: true,
				},
			}),
		);
		renderAt("/datasets/ds1", api);
		const contents = await screen.findByRole("region", { name: "Contents" });
		expect(within(contents).getByText("Images").nextElementSibling).toHaveTextContent("0");
		// the build is still running (the stream stays open): the page did not wait for its end
		await waitFor(() => expect(within(contents).getByText("Images").nextElementSibling).toHaveTextContent("42"), { timeout: 4000 });
		const header = screen.getByRole("heading", { name: "cats vs dogs" }).parentElement as HTMLElement;
		expect(within(header).getByText("running")).toBeInTheDocument();
		expect(within(header).queryByText("queued")).toBeNull();
	});

	it("cancels a running build after confirmation", async () => {
		const user = userEvent.setup();
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /datasets/ds1": { body: building() },
				"GET /datasets/ds1/events": { events: [{ event: "snapshot", data: jobFixture() }], open: true },
				"POST /jobs/job1/cancel": { body: jobFixture({ status: "cancelled" }) },
			}),
		);
		renderAt("/datasets/ds1", api);
		await user.click(await screen.findByRole("button", { name: "Cancel build" }));
		expect(screen.getByText("Cancel this build? Images kept so far stay.")).toBeInTheDocument();
		expect(requests.some((request) => request.path === "/jobs/job1/cancel")).toBe(false);
		await user.click(screen.getByRole("button", { name: "Cancel build" }));
		expect(await screen.findByText("Build cancelled.")).toBeInTheDocument();
		expect(requests.filter((request) => request.method === "POST" && request.path === "/jobs/job1/cancel")).toHaveLength(1);
	});

	it("retries the failed tasks of a build and says how many were queued again", async () => {
		const user = userEvent.setup();
		const failed = jobFixture({ status: "done", step: "done", progress: { ...jobFixture().progress, failedTasks: 3 } });
		const { api } = fakeApi(
			signedInRoutes({
				"GET /datasets/ds1": { body: datasetFixture({ status: "ready", currentJobId: "job1" }) },
				"GET /datasets/ds1/events": {
					events: [
						{ event: "snapshot", data: failed },
						{ event: "completed", data: failed },
					],
				},
				"POST /jobs/job1/retry": { body: { requeued: 3 } },
			}),
		);
		renderAt("/datasets/ds1", api);
		await user.click(await screen.findByRole("button", { name: "Retry failed tasks" }));
		expect(await screen.findByText("3 failed tasks queued again.")).toBeInTheDocument();
	});

	it("starts the first build, and explains a refusal of the plan", async () => {
		const user = userEvent.setup();
		let attempts = 0;
		const { api } = fakeApi(
			signedInRoutes({
				"GET /datasets/ds1": { body: datasetFixture() },
				"GET /datasets/ds1/events": { events: [], open: true },
				"POST /datasets/ds1/build": () =>
					++attempts === 1
						? {
								status: 429,
								headers: { "Retry-After": "90" },
								body: { status: 429, title: "Too Many Requests", detail: "You have 2 builds going, as many as your plan allows (2)." },
							}
						: { status: 202, body: { jobId: "job1", status: "queued" } },
			}),
		);
		renderAt("/datasets/ds1", api);
		expect(await screen.findByText("Not built yet")).toBeInTheDocument();
		await user.click(screen.getByRole("button", { name: "Start build" }));
		expect(
			await screen.findByText("You have 2 builds going, as many as your plan allows (2). Try again in 1 min 30 s."),
		).toBeInTheDocument();
		await user.click(screen.getByRole("button", { name: "Start build" }));
		expect(await screen.findByText("Build started.")).toBeInTheDocument();
	});

	it("polls the build when the event stream keeps failing", async () => {
		const { api } = fakeApi(
			signedInRoutes({
				"GET /datasets/ds1": { body: building() },
				"GET /datasets/ds1/events": { status: 502, body: { status: 502, title: "Bad Gateway" } },
				"GET /jobs/job1": { body: jobFixture({ status: "done", step: "done" }) },
			}),
		);
		vi.useFakeTimers({ shouldAdvanceTime: true });
		try {
			renderAt("/datasets/ds1", api);
			await screen.findByRole("region", { name: "Build" });
			// three failed attempts (1 s, 2 s backoff) before polling
			await vi.advanceTimersByTimeAsync(4000);
			expect(await screen.findByRole("button", { name: "Build again" })).toBeInTheDocument();
			expect(screen.getByText("Finished")).toBeInTheDocument();
		} finally {
			vi.useRealTimers();
		}
	});

	it("says so when the dataset cannot be loaded", async () => {
		const { api } = fakeApi(signedInRoutes());
		renderAt("/datasets/nope", api);
		expect(await screen.findByText("The dataset could not be loaded")).toBeInTheDocument();
	});
});
