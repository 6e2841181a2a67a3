// socket-lessons: arguments -> the TUI, --plain or --json.
// Kept small on purpose: commands that show no UI must not load Ink or
// React, so everything heavy is imported only by the command that needs it.
// The commands and their options are in cli/program.ts.
import { runCommandLine } from "./cli/program.ts";

export type { CliValues } from "./cli/values.ts";

declare const __VERSION__: string | undefined;

async function version(): Promise<string> {
  if (typeof __VERSION__ === "string") return __VERSION__;
  const { readFileSync } = await import("node:fs");
  return JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
}

/** A reader that went away (`| head`) is not an error: stop the programs, exit quietly. */
function quietOnClosedStdout(): void {
  process.stdout.on("error", async (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    const { runCleanups } = await import("./runner/cleanup.ts");
    await runCleanups();
    process.exit(0);
  });
}

const argv = process.argv.slice(2);
quietOnClosedStdout();
version().then((v) => runCommandLine(argv, v)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    const { reportFatal } = await import("./commands/fatal.ts");
    // With --json, stdout is read by a program: the error goes there too, as JSON.
    const json = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : undefined).includes("--json");
    process.exitCode = await reportFatal(error, { json });
  },
);
