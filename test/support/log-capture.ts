import { Loggers } from "moleculer";

/** A Moleculer logger that keeps every line (level and JSON of its arguments) for assertions. */
export class CapturingLogger extends Loggers.Base<Record<string, unknown>> {
	readonly lines: string[] = [];

	override getLogHandler() {
		return (level: string, args: unknown[]) => {
			this.lines.push(`${level} ${args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" ")}`);
		};
	}

	text(): string {
		return this.lines.join("\n");
	}
}
