import { WebhookClient } from "../../../../services/notify/webhook-client";
import { webhookUrlProblem } from "../../../../services/notify/webhook-url";

/**
 * The connect-time address check of webhook deliveries, with name resolution injected: a name that
 * resolves to a private or metadata address when a delivery is sent (whatever it resolved to when the
 * webhook was registered) is refused before any connection is opened. No server is involved.
 */

function clientResolving(addresses: string[], allowPrivateNetworks: boolean) {
	const asked: string[] = [];
	const client = new WebhookClient({
		allowPrivateNetworks,
		timeoutMs: 2000,
		userAgent: "PixCrawler-Webhooks/test",
		lookup: async (hostname) => {
			asked.push(hostname);
			return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
		},
	});
	return { client, asked };
}

describe("webhook deliveries at connect time", () => {
	const clients: WebhookClient[] = [];
	afterAll(async () => {
		await Promise.all(clients.map((client) => client.close()));
	});

	it.each([
		["loopback", ["127.0.0.1"], false, "127.0.0.1: loopback"],
		["a private network", ["10.0.0.7"], false, "10.0.0.7: private"],
		["IPv6 loopback", ["::1"], false, "::1: loopback"],
		["IPv4-mapped loopback", ["::ffff:127.0.0.1"], false, "::ffff:127.0.0.1: loopback"],
		["cloud metadata, even with private networks allowed", ["169.254.169.254"], true, "169.254.169.254: metadata"],
		["only blocked addresses among several", ["192.168.1.2", "169.254.169.254"], false, "192.168.1.2, 169.254.169.254: private, metadata"],
	])("refuses a name that now resolves to %s", async (_what, addresses, allowPrivate, detail) => {
		const { client, asked } = clientResolving(addresses, allowPrivate);
		clients.push(client);
		const result = await client.post("https://hooks.example.test/pixcrawler", "{}", {});
		expect(asked).toEqual(["hooks.example.test"]);
		expect(result).toEqual({
			ok: false,
			statusCode: null,
			durationMs: expect.any(Number),
			error: `refusing to connect to hooks.example.test (${detail})`,
		});
	});

	it("refuses a literal address before resolving or connecting", async () => {
		const { client, asked } = clientResolving(["203.0.113.9"], false);
		clients.push(client);
		const result = await client.post("https://10.1.2.3:8443/hook", "{}", {});
		expect(asked).toEqual([]);
		expect(result.error).toBe("refusing to connect to 10.1.2.3 (10.1.2.3: private)");
	});

	it("reports a name without addresses as not found", async () => {
		const { client } = clientResolving([], true);
		clients.push(client);
		expect((await client.post("https://nowhere.example.test/", "{}", {})).error).toBe("host not found");
	});
});

describe("webhook URLs at registration", () => {
	const resolving = (addresses: string[]) => async () => addresses.map((address) => ({ address, family: 4 }));
	const failing = async () => {
		throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
	};

	it("accepts https to a public address, and a name that does not resolve yet (its deliveries will fail)", async () => {
		expect(await webhookUrlProblem("https://hooks.example.com/x", false, resolving(["93.184.215.14"]))).toBeNull();
		expect(await webhookUrlProblem("https://not-yet.example.com/x", false, failing)).toBeNull();
	});

	it("refuses a name whose every address is blocked, and accepts one with a public address among them", async () => {
		expect(await webhookUrlProblem("https://internal.example.com/x", false, resolving(["10.0.0.1", "127.0.0.1"]))).toMatch(/resolves to/);
		expect(await webhookUrlProblem("https://mixed.example.com/x", false, resolving(["10.0.0.1", "93.184.215.14"]))).toBeNull();
	});

	it("allows plain http and private addresses only where private networks are allowed", async () => {
		expect(await webhookUrlProblem("http://127.0.0.1:9000/hook", true, failing)).toBeNull();
		expect(await webhookUrlProblem("http://127.0.0.1:9000/hook", false, failing)).toBe("Webhooks must use https");
		expect(await webhookUrlProblem("https://127.0.0.1:9000/hook", false, failing)).toMatch(/not reachable/);
	});
});
