import { randomUUID } from "node:crypto";
import { ServiceBroker } from "moleculer";
import request from "supertest";
import { defineService } from "../../lib/define-service";
import type { Principal } from "../../lib/types";
import { DbMixin } from "../../mixins/db.mixin";
import { brokerOptions } from "../../moleculer.config";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { privateNats, type ServerProcess } from "../support/processes";
import { sampleService } from "../support/sample.service";

const MACHINE_NATS = "nats://127.0.0.1:4222";

/** A repository-backed service on its own node, the way product services will run. */
function notesService(config: ReturnType<typeof testConfig>) {
	return defineService({
		name: "notes",
		mixins: [DbMixin({ collection: `notes_${randomUUID().slice(0, 8)}` }, config)],
		settings: { rest: "/" },
		actions: {
			add: {
				rest: "POST /notes",
				auth: "user",
				successStatus: 201,
				params: { $$strict: true, text: { type: "string", min: 1, max: 200 } },
				handler(ctx) {
					return this.createOwned((ctx.meta.user as Principal).id, { text: ctx.params.text }, ctx);
				},
			},
			mine: {
				rest: "GET /notes",
				auth: "user",
				handler(ctx) {
					return this.findOwned((ctx.meta.user as Principal).id, {}, ctx);
				},
			},
		},
	});
}

async function startServiceNode(transporter: string, namespace: string) {
	const config = testConfig({ TRANSPORTER: transporter, PIXCRAWLER_NAMESPACE: namespace });
	const broker = new ServiceBroker({ ...brokerOptions(config), nodeID: `services-${randomUUID().slice(0, 6)}`, logger: false });
	broker.createService(sampleService);
	broker.createService(notesService(config));
	await broker.start();
	return broker;
}

describe("gateway and a service in two brokers over the machine's NATS", () => {
	const namespace = `it-${randomUUID().slice(0, 8)}`;
	let services: ServiceBroker;
	let gateway: RunningGateway;

	beforeAll(async () => {
		services = await startServiceNode(MACHINE_NATS, namespace);
		gateway = await startGateway({
			env: { TRANSPORTER: MACHINE_NATS, PIXCRAWLER_NAMESPACE: namespace },
			broker: { nodeID: `gateway-${randomUUID().slice(0, 6)}` },
			waitFor: ["notes.add", "notes.mine", "samples.create"],
		});
	});
	afterAll(async () => {
		await gateway.stop();
		await services.stop();
	});

	it("routes HTTP calls to the remote service and carries the caller along", async () => {
		const token = await gateway.tokenFor("user-nats");
		const created = await request(gateway.url)
			.post("/api/v1/notes")
			.set("Authorization", `Bearer ${token}`)
			.send({ text: "over the bus" })
			.expect(201);
		expect(created.body).toMatchObject({ id: expect.any(String), ownerId: "user-nats", text: "over the bus" });
		const listed = await request(gateway.url).get("/api/v1/notes").set("Authorization", `Bearer ${token}`).expect(200);
		expect(listed.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
		const other = await request(gateway.url)
			.get("/api/v1/notes")
			.set("Authorization", `Bearer ${await gateway.tokenFor("user-other")}`)
			.expect(200);
		expect(other.body.total).toBe(0);
	});

	it("returns remote validation errors as 422 problem+json naming the field", async () => {
		const token = await gateway.tokenFor("user-nats");
		const res = await request(gateway.url).post("/api/v1/notes").set("Authorization", `Bearer ${token}`).send({ text: "" }).expect(422);
		expect(res.body.errors[0].field).toBe("text");
	});

	it("includes the remote service's database in readiness", async () => {
		const res = await request(gateway.url).get("/health/ready").expect(200);
		expect(res.body.components).toEqual(
			expect.arrayContaining([
				{ name: "transporter", status: "up" },
				{ name: "notes.db", status: "up" },
			]),
		);
	});

	it("does not publish the repository's protected CRUD actions", async () => {
		await request(gateway.url).get("/api/v1/notes/find").expect(404);
		await expect(gateway.broker.call("notes.find", {})).rejects.toMatchObject({ name: "ServiceNotFoundError" });
	});
});

describe("readiness follows the transporter", () => {
	let nats: ServerProcess;
	let gateway: RunningGateway;

	beforeAll(async () => {
		nats = await privateNats();
		gateway = await startGateway({
			env: { TRANSPORTER: `nats://127.0.0.1:${nats.port}`, PIXCRAWLER_NAMESPACE: `ready-${randomUUID().slice(0, 8)}` },
			waitFor: ["api.health"],
		});
	});
	afterAll(async () => {
		await gateway.stop();
		await nats.stop();
	});

	const readiness = async () => (await request(gateway.url).get("/health/ready")).status;

	it("turns 503 while NATS is down and back to 200 once it returns", async () => {
		expect(await readiness()).toBe(200);
		await nats.stop();
		await waitUntil(async () => (await readiness()) === 503, 10000, "readiness 503");
		const down = await request(gateway.url).get("/health/ready");
		expect(down.body.failed).toContain("transporter");
		// liveness does not depend on the bus
		await request(gateway.url).get("/health").expect(200);
		await nats.start();
		await waitUntil(async () => (await readiness()) === 200, 20000, "readiness 200");
	});
});
