import type { ActionVisibility, Context, ServiceSchema } from "moleculer";
import type { GatewayActionOptions } from "./types";

// Handlers and methods run with moleculer's dynamic `this` (the service plus its mixins' members).
// biome-ignore lint/suspicious/noExplicitAny: that object has no static type in Moleculer 0.15
type ServiceThis = any;
// biome-ignore lint/suspicious/noExplicitAny: action contexts carry per-action params and meta
export type AnyContext = Context<any, any>;

/** An action as PixCrawler declares it: Moleculer's options plus what the gateway and OpenAPI read. */
export interface PixActionSchema extends GatewayActionOptions {
	params?: Record<string, unknown>;
	visibility?: ActionVisibility;
	timeout?: number;
	retryPolicy?: Record<string, unknown>;
	handler?: (this: ServiceThis, ctx: AnyContext) => unknown;
}

type Lifecycle = (this: ServiceThis) => unknown;

export interface PixServiceSchema {
	name?: string;
	version?: string | number;
	dependencies?: string | string[];
	mixins?: (PixServiceSchema | Partial<ServiceSchema>)[];
	settings?: Record<string, unknown>;
	metadata?: Record<string, unknown>;
	actions?: Record<string, PixActionSchema | boolean>;
	methods?: Record<string, (this: ServiceThis, ...args: ServiceThis[]) => unknown>;
	events?: Record<string, ((this: ServiceThis, ctx: AnyContext) => unknown) | Record<string, unknown>>;
	created?: Lifecycle | Lifecycle[];
	started?: Lifecycle | Lifecycle[];
	stopped?: Lifecycle | Lifecycle[];
	/** Extra schema keys read by mixins (e.g. moleculer-db's `adapter` and `model`). */
	[extra: string]: unknown;
}

/** Types a service schema: a typo in an action's gateway metadata is a compile error. */
export function defineService(schema: PixServiceSchema & { name: string }): ServiceSchema {
	return schema as unknown as ServiceSchema;
}

/** Types a mixin the same way. */
export function defineMixin(schema: PixServiceSchema): PixServiceSchema {
	return schema;
}
