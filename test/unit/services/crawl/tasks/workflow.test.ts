import { ServiceBroker } from "moleculer";
import { tasksRepository } from "../../../../../services/crawl/tasks/tasks.repository";
import {
	chain,
	chord,
	createTask,
	type JobScope,
	type Task,
	type TaskRepository,
	taskEnded,
} from "../../../../../services/crawl/tasks/workflow";
import { testConfig } from "../../../../support/gateway";

describe("task workflow primitives", () => {
	const broker = new ServiceBroker({ logger: false });
	const repository = broker.createService(tasksRepository(testConfig())) as unknown as TaskRepository;
	let jobNumber = 0;
	let scope: JobScope;

	beforeAll(() => broker.start());
	afterAll(() => broker.stop());
	beforeEach(() => {
		jobNumber += 1;
		scope = { jobId: `job-${jobNumber}`, ownerId: "alice", maxAttempts: 5 };
	});

	const end = async (task: Task, status: "done" | "failed" | "dead" | "cancelled" = "done") => {
		await repository.updateWhere({ jobId: scope.jobId, key: task.key }, { status });
		return taskEnded(repository, scope, task);
	};
	const statusOf = async (key: string) => (await repository.findOneWhere({ jobId: scope.jobId, key }))?.status;

	it("creates a task once per job and key, however often it is asked", async () => {
		const first = await createTask(repository, scope, { type: "crawl.search", key: "search:cat:bing", payload: { keyword: "cat" } });
		const again = await createTask(repository, scope, { type: "crawl.search", key: "search:cat:bing", payload: { keyword: "other" } });
		expect(first.created).toBe(true);
		expect(again).toMatchObject({ created: false, task: { id: first.task.id, payload: { keyword: "cat" } } });
		expect(first.task).toMatchObject({ status: "queued", attempts: 0, maxAttempts: 5, ownerId: "alice" });
		const otherJob = await createTask(repository, { ...scope, jobId: "another" }, { type: "crawl.search", key: "search:cat:bing" });
		expect(otherJob.created).toBe(true);
	});

	it("releases a chord's callback once, after the last member ends, whatever their outcomes", async () => {
		const members = [1, 2, 3].map((n) => ({ type: "crawl.download" as const, key: `download:${n}` }));
		const started = await chord(repository, scope, "downloads", members, { type: "crawl.finalize", key: "finalize" });
		expect(started.map((task) => task.key)).toEqual(["download:1", "download:2", "download:3"]);
		expect(await statusOf("finalize")).toBe("waiting");
		expect(await end(started[0], "done")).toEqual([]);
		expect(await end(started[1], "dead")).toEqual([]);
		const released = await end(started[2], "failed");
		expect(released.map((task) => task.key)).toEqual(["finalize"]);
		expect(await statusOf("finalize")).toBe("queued");
	});

	it("releases the callback exactly once under repeated and concurrent endings (redelivery)", async () => {
		const members = Array.from({ length: 6 }, (_, n) => ({ type: "crawl.download" as const, key: `download:${n}` }));
		const started = await chord(repository, scope, "downloads", members, { type: "crawl.finalize", key: "finalize" });
		await repository.updateWhere({ jobId: scope.jobId, groupId: started[0].groupId }, { status: "done" });
		const deliveries = started.flatMap((task) => [task, task, task]);
		const releases = (await Promise.all(deliveries.map((task) => taskEnded(repository, scope, task)))).flat();
		expect(releases.map((task) => task.key)).toEqual(["finalize"]);
		expect((await Promise.all(started.map((task) => taskEnded(repository, scope, task)))).flat()).toEqual([]);
	});

	it("releases the callback at once for an empty group, and only once when the chord is built again", async () => {
		const released = await chord(repository, scope, "nothing", [], { type: "crawl.finalize", key: "finalize" });
		expect(released.map((task) => task.key)).toEqual(["finalize"]);
		expect(await chord(repository, scope, "nothing", [], { type: "crawl.finalize", key: "finalize" })).toEqual([]);
	});

	it("does not duplicate members or the callback when a chord is rebuilt after a crash", async () => {
		const members = [{ type: "crawl.search" as const, key: "search:a" }];
		await chord(repository, scope, "searches", members, { type: "crawl.download", key: "downloads" });
		const again = await chord(repository, scope, "searches", members, { type: "crawl.download", key: "downloads" });
		expect(again.map((task) => task.key)).toEqual(["search:a"]);
		expect(await repository.countWhere({ jobId: scope.jobId })).toBe(2);
	});

	it("runs a chain step by step and cancels the rest when a step does not succeed", async () => {
		const steps = ["plan", "search", "finalize"].map((key) => ({ type: `crawl.${key}` as "crawl.plan", key }));
		const [first] = await chain(repository, scope, steps);
		expect(first.key).toBe("plan");
		expect([await statusOf("search"), await statusOf("finalize")]).toEqual(["waiting", "waiting"]);
		const [second] = await end(first, "done");
		expect(second.key).toBe("search");
		expect(await end(second, "dead")).toEqual([]);
		expect([await statusOf("search"), await statusOf("finalize")]).toEqual(["dead", "cancelled"]);
	});

	it("cancels every later step of a chain when an early one fails", async () => {
		const steps = ["a", "b", "c", "d"].map((key) => ({ type: "crawl.search" as const, key }));
		const [first] = await chain(repository, scope, steps);
		expect(await end(first, "failed")).toEqual([]);
		expect(await Promise.all(["b", "c", "d"].map(statusOf))).toEqual(["cancelled", "cancelled", "cancelled"]);
	});
});
