import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";

// the gateway's readable hint that a refresh cookie exists: the app then restores the session on load,
// and each test's fake API decides whether that refresh succeeds (web/src/auth/session.ts)
beforeEach(() => {
	// biome-ignore lint/suspicious/noDocumentCookie: jsdom's cookie jar is where the app reads the hint from
	document.cookie = "pixcrawler_session=1; path=/";
});
afterEach(() => cleanup());
