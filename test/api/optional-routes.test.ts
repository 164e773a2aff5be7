import request from "supertest";
import { startGateway } from "../support/gateway";

describe("optional routes", () => {
	it("serves no docs and no metrics when they are switched off", async () => {
		const gateway = await startGateway({
			env: { GATEWAY_DOCS_ENABLED: "false", PIXCRAWLER_METRICS_ENABLED: "false" },
			waitFor: ["api.health"],
		});
		try {
			await request(gateway.url).get("/docs").expect(404);
			await request(gateway.url).get("/redoc").expect(404);
			await request(gateway.url).get("/docs/assets/swagger-ui.css").expect(404);
			await request(gateway.url).get("/metrics").expect(404);
			await request(gateway.url).get("/health").expect(200);
			const document = (await request(gateway.url).get("/api/v1/openapi.json").expect(200)).body;
			expect(Object.keys(document.paths)).not.toContain("/docs");
		} finally {
			await gateway.stop();
		}
	});
});
