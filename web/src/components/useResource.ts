import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export type Resource<T> =
	| { state: "loading"; data: T | undefined; error: null; reload: () => void }
	| { state: "ready"; data: T; error: null; reload: () => void }
	| { state: "error"; data: T | undefined; error: unknown; reload: () => void };

/**
 * Loads something when `deps` change (aborting the previous load) and on `reload()`. Data already
 * shown stays while a reload runs, so lists do not flash empty.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
	const [result, setResult] = useState<{ state: "loading" | "ready" | "error"; data: T | undefined; error: unknown }>({
		state: "loading",
		data: undefined,
		error: null,
	});
	const [generation, setGeneration] = useState(0);
	const loadRef = useRef(load);
	loadRef.current = load;

	// biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load again
	useEffect(() => {
		const controller = new AbortController();
		setResult((previous) => ({ state: "loading", data: previous.data, error: null }));
		loadRef.current(controller.signal).then(
			(data) => {
				if (!controller.signal.aborted) setResult({ state: "ready", data, error: null });
			},
			(error: unknown) => {
				if (!controller.signal.aborted) setResult((previous) => ({ state: "error", data: previous.data, error }));
			},
		);
		return () => controller.abort();
	}, [...deps, generation]);

	const reload = useCallback(() => setGeneration((value) => value + 1), []);
	return { ...result, reload } as Resource<T>;
}
