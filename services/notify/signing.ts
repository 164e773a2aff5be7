import { createHmac, randomBytes } from "node:crypto";

/**
 * How webhook deliveries are signed, in the manner of Stripe and Standard Webhooks: the receiver
 * recomputes HMAC-SHA256 over `<timestamp>.<raw body>` with its secret and compares, and refuses stale
 * timestamps, so a captured delivery cannot be replayed later nor its body altered.
 *
 *   PixCrawler-Signature: t=1764144000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
 *
 * The key is the whole secret string (`whsec_` included) as UTF-8 bytes. `v1` names the scheme, so a
 * future one can be sent alongside during a change-over; receivers ignore schemes they do not know.
 */

export const SECRET_PREFIX = "whsec_";
export const SIGNATURE_HEADER = "PixCrawler-Signature";
export const EVENT_ID_HEADER = "PixCrawler-Event-Id";
export const EVENT_TYPE_HEADER = "PixCrawler-Event-Type";
export const DELIVERY_ID_HEADER = "PixCrawler-Delivery-Id";
/** What the documentation tells receivers to accept between the timestamp and their clock. */
export const RECOMMENDED_TOLERANCE_SECONDS = 300;

/** A new signing secret: 32 random bytes (256 bits), base64url. */
export function newWebhookSecret(): string {
	return `${SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function signaturePayload(timestampSeconds: number, body: string): string {
	return `${timestampSeconds}.${body}`;
}

/** The `PixCrawler-Signature` value for a body sent at `timestampSeconds` (Unix time). */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
	const digest = createHmac("sha256", secret).update(signaturePayload(timestampSeconds, body)).digest("hex");
	return `t=${timestampSeconds},v1=${digest}`;
}
