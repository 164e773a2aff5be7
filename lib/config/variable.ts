import { z } from "zod";

/**
 * One environment variable: its name, how it is parsed, its default (as the text a user would
 * write), and the sentence `.env.example` and the configuration table show for it.
 */
export interface Variable<T> {
	env: string;
	schema: z.ZodType<T>;
	description: string;
	/** Text used when the variable is unset; absent means "required". */
	default?: string;
	/** Masked whenever configuration is printed. */
	secret?: boolean;
	/** The default is only good enough for development: production refuses to start with it. */
	developmentDefault?: boolean;
}

export function variable<T>(spec: Variable<T>): Variable<T> {
	return spec;
}

export type Area = Record<string, Variable<unknown>>;
export type AreaValues<A extends Area> = { [K in keyof A]: A[K] extends Variable<infer T> ? T : never };

const TRUE_WORDS = new Set(["true", "1", "yes", "on"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off"]);

export const flag = z.string().transform((text, ctx) => {
	const word = text.trim().toLowerCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	ctx.addIssue({ code: "custom", message: "expected true or false" });
	return z.NEVER;
});

/** Whole numbers written as plain digits: no empty string turning into 0, no "0x50" turning into 80. */
export const wholeNumber = z.string().trim().regex(/^\d+$/, "expected a whole number").transform(Number);
export const port = wholeNumber.pipe(z.number().int().min(0).max(65535));
export const positiveInt = wholeNumber.pipe(z.number().int().positive());
export const boundedInt = (min: number, max: number) => wholeNumber.pipe(z.number().int().min(min).max(max));

/** Comma-separated list; blanks dropped. */
export const list = z.string().transform((text) =>
	text
		.split(",")
		.map((item) => item.trim())
		.filter(Boolean),
);

export const optionalText = z.string().transform((text) => (text.trim() === "" ? undefined : text.trim()));

export const url = (protocols: string[]) =>
	z
		.string()
		.trim()
		.transform((text, ctx) => {
			if (text === "") return undefined;
			try {
				const parsed = new URL(text);
				if (!protocols.includes(parsed.protocol.replace(/:$/, ""))) {
					ctx.addIssue({ code: "custom", message: `expected a ${protocols.join(" or ")} URL` });
					return z.NEVER;
				}
				return text;
			} catch {
				ctx.addIssue({ code: "custom", message: "expected a URL" });
				return z.NEVER;
			}
		});
