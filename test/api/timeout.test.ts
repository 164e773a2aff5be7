import request from "supertest";
import { type RunningGateway, startGateway } from "../support/gateway";
import { sampleService } from "../support/sample.service";

describe("request timeout", () => {
	let gateway: RunningGateway;
	beforeAll(async () => {
		gateway = await startGateway({ env: { GATEWAY_REQUEST_TIMEOUT_MS: "300" }, services: [sampleService], waitFor: ["samples.slow"] });
	});
	afterAll(() => gateway.stop());

	it("answers 504 problem+json when the call takes longer than GATEWAY_REQUEST_TIMEOUT_MS", async () => {
		const res = await request(gateway.url).get("/api/v1/public/slow?ms=1500").expect(504);
		expect(res.body).toMatchObject({ status: 504, detail: "The request took too long to complete", requestId: expect.any(String) });
	});

	it("answers calls within the limit", async () => {
		const res = await request(gateway.url).get("/api/v1/public/slow?ms=10").expect(200);
		expect(res.body).toEqual({ waited: 10 });
	});

	it("names a query parameter of the wrong type", async () => {
		const res = await request(gateway.url).get("/api/v1/public/slow?ms=soon").expect(422);
		expect(res.body.errors[0].field).toBe("ms");
	});
});
