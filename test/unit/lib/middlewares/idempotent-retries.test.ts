import { Errors, ServiceBroker } from "moleculer";
import { loadConfig } from "../../../../lib/config";
import { defineService } from "../../../../lib/define-service";
import { Unavailable } from "../../../../lib/errors";
import { isIdempotent } from "../../../../lib/middlewares/idempotent-retries";
import { brokerOptions, isWorthRetrying } from "../../../../moleculer.config";

describe("isIdempotent", () => {
	it("treats GET routes as safe to repeat", () => {
		expect(isIdempotent({ rest: "GET /datasets" })).toBe(true);
		expect(isIdempotent({ rest: ["GET /a", "GET /b"] })).toBe(true);
	});

	it("treats writes and actions without routes as unsafe unless declared", () => {
		expect(isIdempotent({ rest: "POST /datasets" })).toBe(false);
		expect(isIdempotent({ rest: ["GET /a", "DELETE /a"] })).toBe(false);
		expect(isIdempotent({})).toBe(false);
		expect(isIdempotent({ rest: "PUT /x", idempotent: true })).toBe(true);
		expect(isIdempotent({ rest: "GET /x", idempotent: false })).toBe(false);
	});
});

describe("retries on the broker", () => {
	const attempts = { read: 0, write: 0, flag: 0 };
	const broker = new ServiceBroker({
		...brokerOptions(loadConfig(process.env)),
		logger: false,
		retryPolicy: {
			enabled: false,
			retries: 3,
			delay: 5,
			maxDelay: 20,
			factor: 2,
			check: (error: Error) => Boolean((error as { retryable?: boolean }).retryable),
		},
	});
	broker.createService(
		defineService({
			name: "flaky",
			actions: {
				read: {
					rest: "GET /flaky",
					auth: "public",
					handler() {
						attempts.read += 1;
						if (attempts.read < 3) throw new Unavailable();
						return "ok";
					},
				},
				write: {
					rest: "POST /flaky",
					auth: "public",
					handler() {
						attempts.write += 1;
						throw new Unavailable();
					},
				},
				markedSafe: {
					idempotent: true,
					handler() {
						attempts.flag += 1;
						if (attempts.flag < 2) throw new Unavailable();
						return "ok";
					},
				},
			},
		}),
	);
	beforeAll(() => broker.start());
	afterAll(() => broker.stop());

	it("retries an idempotent read with backoff until it succeeds", async () => {
		await expect(broker.call("flaky.read")).resolves.toBe("ok");
		expect(attempts.read).toBe(3);
	});

	it("never repeats a write", async () => {
		await expect(broker.call("flaky.write")).rejects.toMatchObject({ code: 503 });
		expect(attempts.write).toBe(1);
	});

	it("retries an action declared idempotent", async () => {
		await expect(broker.call("flaky.markedSafe")).resolves.toBe("ok");
		expect(attempts.flag).toBe(2);
	});
});

describe("isWorthRetrying", () => {
	it("retries transient failures but not timeouts or client errors", () => {
		expect(isWorthRetrying(new Unavailable())).toBe(true);
		expect(isWorthRetrying(new Errors.RequestTimeoutError({ action: "x", nodeID: "n" }))).toBe(false);
		expect(isWorthRetrying(new Errors.ServiceNotAvailableError({ action: "x", nodeID: "n" }))).toBe(true);
		expect(isWorthRetrying(new Errors.MoleculerClientError("bad", 422))).toBe(false);
	});
});
