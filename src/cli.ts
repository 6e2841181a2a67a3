// socket-lessons: arguments -> the TUI, --plain or --json.
// Kept small on purpose: commands that show no UI must not load Ink or
// React, so everything heavy is imported only by the command that needs it.
import { parseArgs } from "node:util";

declare const __VERSION__: string | undefined;

const HELP = `socket-lessons: watch the kernel run real blocking and non-blocking socket programs

Usage:
  socket-lessons                      open the lesson menu (in a terminal)
  socket-lessons <id>                 open a lesson directly
  socket-lessons list [--json]        the lessons, their ids and titles
  socket-lessons run <id> --plain     run a lesson, narrate it as text
  socket-lessons run <id> --json      run a lesson, one JSON object a line (NDJSON)
  socket-lessons doctor [--json]      what this machine lets the lessons show

Options:
  --python PATH        the Python 3.8+ to run the lesson programs (default: python3)
  --port N             the port the lesson server listens on, on 127.0.0.1 (default: a free one)
  --lessons DIR        load the lessons of another folder (an instructor's own)
  --probe MODE         auto (default) or trace-only: do not read /proc, narrate from the trace alone
  --auto               in the TUI, show each beat as it comes instead of waiting for Enter
  --no-color           no colours (NO_COLOR works too)
  -v, --version        print the version
  -h, --help           this text
`;

const OPTIONS = {
  json: { type: "boolean" },
  plain: { type: "boolean" },
  python: { type: "string" },
  port: { type: "string" },
  lessons: { type: "string" },
  probe: { type: "string" },
  auto: { type: "boolean" },
  "no-color": { type: "boolean" },
  version: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

export type CliValues = ReturnType<typeof parse>["values"];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

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

async function main(argv: string[]): Promise<number> {
  quietOnClosedStdout();
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`socket-lessons: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === "list") {
    const { listCommand } = await import("./commands/list.ts");
    return listCommand(values);
  }
  if (command === "doctor") {
    const { doctorCommand } = await import("./commands/doctor.ts");
    return doctorCommand(values);
  }
  if (command === "run") {
    if (rest.length !== 1) {
      process.stderr.write("socket-lessons: run needs one lesson id, e.g. socket-lessons run blocking-send --plain\n");
      return 2;
    }
    const { runCommand } = await import("./commands/run.ts");
    return runCommand(rest[0]!, values, values.json ? "json" : values.plain ? "plain" : "auto");
  }
  if (command !== undefined && rest.length > 0) {
    process.stderr.write(`socket-lessons: unexpected "${rest.join(" ")}"\n\n${HELP}`);
    return 2;
  }
  // The menu, or one lesson directly: the TUI when there is a terminal.
  const { runCommand } = await import("./commands/run.ts");
  return runCommand(command ?? null, values, values.json ? "json" : values.plain ? "plain" : "auto");
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    const { reportFatal } = await import("./commands/fatal.ts");
    process.exitCode = await reportFatal(error);
  },
);
