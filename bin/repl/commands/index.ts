import { toCustomCommand } from "./command";
import { healthCommand } from "./health";
import { deadTasksCommand, jobCommand, requeueCommand } from "./jobs";

/** PixCrawler's own REPL commands, beside moleculer-repl's (`nodes`, `services`, `call`, …). */
export const REPL_COMMANDS = [healthCommand, jobCommand, deadTasksCommand, requeueCommand];

export const replOptions = () => ({ delimiter: "pixcrawler $", customCommands: REPL_COMMANDS.map(toCustomCommand) });
