import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { Router } from "wouter";
import { memoryLocation } from "wouter/memory-location";
import type { ApiClient } from "../api/client";
import { App } from "../app/App";
import { AuthProvider } from "../auth/AuthContext";

/**
 * Renders `ui` (default: the whole App) at `path` with a session on `api` (see fake-api.ts). `location`
 * tells where the router is after navigation (`location.history` lists every path visited).
 */
export function renderAt(path: string, api: ApiClient, ui: ReactElement = <App />) {
	const location = memoryLocation({ path, record: true });
	const result = render(
		<AuthProvider api={api}>
			<Router hook={location.hook} searchHook={location.searchHook}>
				{ui}
			</Router>
		</AuthProvider>,
	);
	return { ...result, location };
}
