// The command line: every command, its arguments and options, and what runs
// it. To add an option, give it a line in OPTIONS and name it in the commands
// that take it; to add a command, give it an entry in COMMANDS. Commands load
// their code only when chosen: `list` and `--version` must not pay for Ink,
// React or the YAML parser.
//
// Parsed with commander (14: the last line for Node 20): subcommands each
// with their own options, help and usage (`help run`, `run -h`), values
// checked as they are read, conflicting options refused, unknown ones and
// extra arguments too. It has no dependencies, is the most used parser on
// npm and kept up; bundled it adds about 30 KB and a few ms to a start (the
// Performance table of docs/architecture.md). yargs is larger and slower to start; cac and
// citty lack per-command strictness (unknown options, extra arguments).
// Commander's own messages and exits are replaced: each mistake is one
// sentence, then the usage line of that command (not the whole help), exit 2.
import { type Argument, Command, CommanderError, Option } from "commander";
import { UserError } from "../runner/errors.ts";
import {
  BadValue,
  type CliValues,
  collectSetting,
  nonEmpty,
  parseHoldSeconds,
  parsePort,
  parseProbe,
} from "./values.ts";

const NAME = "socket-lessons";

/** Each option, once; the commands below name the ones they take. */
const OPTIONS = {
  plain: () =>
    new Option("--plain", "narrate the lesson as text: for pipes, logs and screen readers").conflicts("json"),
  json: () => new Option("--json", 'JSON out; an error is a JSON line too ({type: "error", ...})'),
  python: () =>
    new Option("--python <path>", "the Python 3.8+ that runs the lesson programs (default: python3)")
      .argParser(nonEmpty("--python", "python3")),
  port: () =>
    new Option("--port <N>", "the port the lesson's server listens on, on 127.0.0.1 (default: a free one)")
      .argParser(parsePort),
  lessons: () =>
    new Option("--lessons <dir>", "the lessons of another folder (an instructor's own); runs its programs as you")
      .argParser(nonEmpty("--lessons", "./my-lessons")),
  probe: () =>
    new Option("--probe <mode>", "auto (default) or trace-only: do not read /proc, narrate from the trace alone")
      .argParser(parseProbe),
  auto: () => new Option("--auto", "in the player, show each beat as it comes instead of waiting for Enter"),
  // Presenter mode steps by the presenter's clicker with holds on: --auto would step by itself.
  present: () =>
    new Option("--present", "presenter mode: the narration large, only the beat's panes, a clicker's keys")
      .conflicts(["plain", "json", "auto"]),
  hold: () =>
    new Option(
      "--hold [seconds]",
      "programs wait at the lesson's holds: seconds each (default 5) with --plain, --json, --auto",
    ).argParser(parseHoldSeconds),
  "no-color": () => new Option("--no-color", "no colours (NO_COLOR works too)"),
  dir: () =>
    new Option("--dir <dir>", "the folder to put the starter in (default: ./socket-lessons-work/<exercise>)")
      .argParser(nonEmpty("--dir", "./my-work")),
  force: () => new Option("--force", "replace a file you already have with the starter, without asking"),
  solution: () => new Option("--solution", "show the reference solution (once you have passed)").conflicts("force"),
  watch: () => new Option("--watch", "check again within a second of every save, until Ctrl-C"),
  hint: () => new Option("--hint", "reveal the next hint (one at a time; they are remembered)").conflicts("watch"),
  record: () =>
    new Option("--record <file>", "write the run's observations to FILE (.gz: gzipped) to replay it anywhere")
      .argParser(nonEmpty("--record", "run.ndjson")),
  markdown: () =>
    new Option(
      "--markdown [file]",
      "write a handout: FILE (default <id>-handout.md) and the timeline as an SVG beside it",
    )
      .argParser(nonEmpty("--markdown", "handout.md")),
  instant: () => new Option("--instant", "play the whole recording at once instead of in real time"),
  set: () =>
    new Option("--set <name=value>", "change one of the lesson's knobs (repeatable): --set sndbuf=65536")
      .argParser(collectSetting),
} as const;

type OptionName = keyof typeof OPTIONS;

/** What the run of a command needs: its arguments and its options. */
type Action = (args: readonly string[], values: CliValues) => Promise<number>;

interface CommandSpec {
  readonly name: string;
  /** Commander's argument syntax: "<id>" required, "[id]" optional. */
  readonly args: readonly string[];
  readonly usage: string;
  readonly summary: string;
  readonly options: readonly OptionName[];
  readonly action: Action;
}

const RUN_OPTIONS: readonly OptionName[] = [
  "plain",
  "json",
  "python",
  "port",
  "lessons",
  "probe",
  "auto",
  "present",
  "hold",
  "no-color",
  "record",
  "markdown",
  "set",
];

/** `socket-lessons [id]`: the menu, or one lesson, in the player (or as --plain when piped). */
const MAIN: Omit<CommandSpec, "name"> = {
  args: ["[id]"],
  usage: "[<id>] [options]  |  <command> ...",
  summary: "watch the kernel run real blocking and non-blocking socket programs",
  options: RUN_OPTIONS,
  action: async ([id], values) => (await import("../commands/run.ts")).runCommand(id ?? null, values, modeOf(values)),
};

const COMMANDS: readonly CommandSpec[] = [
  {
    name: "list",
    args: [],
    usage: "[--json] [--lessons <dir>]",
    summary: "the lessons, their ids and titles (--json: an array of {id, title})",
    options: ["json", "lessons"],
    action: async (_, values) => (await import("../commands/list.ts")).listCommand(values),
  },
  {
    name: "run",
    args: ["<id>"],
    usage: "<id> --plain|--json [options]",
    summary: "run a lesson and narrate it as text (--plain) or NDJSON (--json)",
    options: RUN_OPTIONS,
    action: async ([id], values) => (await import("../commands/run.ts")).runCommand(id!, values, modeOf(values)),
  },
  {
    name: "replay",
    args: ["<file>"],
    usage: "<file> [--plain|--json] [--instant] [--markdown [file]]",
    summary: "play a recorded run (--record) in the player, --plain or --json: labelled as a replay, never live",
    options: ["plain", "json", "instant", "markdown", "auto", "no-color"],
    action: async ([file], values) =>
      (await import("../commands/replay.ts")).replayCommand(file!, values, modeOf(values)),
  },
  {
    name: "programs",
    args: ["<id>", "[dir]"],
    usage: "<id> [dir] [--port <N>] [--python <path>] [--lessons <dir>] [--json]",
    summary: "copy a lesson's programs into a folder (default ./socket-lessons-programs/<id>) and say how to run them",
    options: ["json", "python", "port", "lessons"],
    action: async ([id, dir], values) => (await import("../commands/programs.ts")).programsCommand(id!, dir, values),
  },
  {
    name: "exercise",
    args: ["[exercise]"],
    usage: "[<exercise>] [--dir <dir>] [--force] [--solution] [--json]",
    summary: "start an exercise: its starter program in your folder, and what to do (none: list them)",
    options: ["json", "lessons", "dir", "force", "solution"],
    action: async ([id], values) => (await import("../commands/exercise.ts")).exerciseCommand(id ?? null, values),
  },
  {
    name: "check",
    args: ["<exercise>", "[program]"],
    usage: "<exercise> [<program>] [--watch] [--hint] [--json] [options]",
    summary: "run your program in place of the lesson's and judge it by what the kernel saw",
    options: ["json", "python", "lessons", "probe", "watch", "hint", "no-color"],
    action: async ([id, program], values) =>
      (await import("../commands/check.ts")).checkCommand(id!, program ?? null, values),
  },
  {
    name: "doctor",
    args: [],
    usage: "[--json] [--python <path>] [--probe <mode>] [--lessons <dir>]",
    summary: "what this machine lets the lessons show, where progress is kept and the lessons are, and a verdict",
    options: ["json", "python", "probe", "no-color", "lessons"],
    action: async (_, values) => (await import("../commands/doctor.ts")).doctorCommand(values),
  },
];

const EXAMPLES = `
Examples:
  ${NAME}                            open the lesson menu (piped: list the lessons)
  ${NAME} blocking-send              open one lesson in the player
  ${NAME} run blocking-send --plain  narrate a lesson as text
  ${NAME} run blocking-send --json   one JSON object a line (NDJSON)
  ${NAME} run blocking-send --plain --set sndbuf=65536
                                     the same lesson with a smaller send buffer
  ${NAME} run blocking-send --plain --record run.ndjson.gz --markdown
                                     narrate, record the run and write a handout
  ${NAME} replay run.ndjson.gz       play a recorded run, labelled as a replay
  ${NAME} programs blocking-send     copy a lesson's programs here, to run them by hand
  ${NAME} exercise send-it-all       start an exercise; then: ${NAME} check send-it-all --watch
  ${NAME} help run                   one command's options
`;

const ARGUMENT_HELP: Readonly<Record<string, string>> = {
  id: "a lesson's id, as `socket-lessons list` shows them (e.g. blocking-send)",
  exercise: "an exercise's id, as `socket-lessons exercise` lists them (e.g. send-it-all)",
  program: "your program (default: the one `socket-lessons exercise` gave you)",
  file: "a recording made with --record (.ndjson, or .ndjson.gz)",
  dir: "the folder to copy them into (default ./socket-lessons-programs/<id>); files there are never overwritten",
  command: "a command: list, run, replay, programs, exercise, check, doctor",
};

function modeOf(values: CliValues): "plain" | "json" | "auto" {
  return values.json ? "json" : values.plain ? "plain" : "auto";
}

/** Where commander's own text (help, version) goes: the terminal, or nowhere for parseOnly. */
interface Writers {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const TERMINAL: Writers = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** What a command line asks for, read but not run (see parseOnly). */
export interface ParsedCommandLine {
  /** The command's name; "" for `socket-lessons [id]`; "help" and "--version" for those. */
  readonly command: string;
  readonly args: readonly string[];
  readonly values: CliValues;
}

/** Receives each chosen command: runCommandLine runs it, parseOnly only records it. */
type OnCommand = (spec: CommandSpec, args: readonly string[], values: CliValues) => Promise<void>;

/** The one program: every command, option and check; what a chosen command does is onCommand's. */
function buildProgram(version: string, onCommand: OnCommand, writers: Writers): Command {
  const program = new Command(NAME);
  program.enablePositionalOptions().helpCommand(false).version(version, "-v, --version", "print the version");
  define(program, { name: "", ...MAIN }, onCommand, writers);
  for (const spec of COMMANDS) define(program.command(spec.name), spec, onCommand, writers);
  defineHelp(program, writers);
  program.addHelpText("after", EXAMPLES);
  return program;
}

/**
 * Parses `argv` and runs the command it names; resolves with the exit code.
 * A mistake rejects with a UserError (a sentence and the command's usage).
 */
export async function runCommandLine(argv: readonly string[], version: string): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(version, async (spec, args, values) => {
    exitCode = await spec.action(args, values);
  }, TERMINAL);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    // Help and the version were printed: that is the command's whole work.
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    throw error;
  }
  return exitCode;
}

/**
 * Reads `argv` with the same program and the same checks as runCommandLine
 * (unknown options, bad values, conflicts, missing or extra arguments) but
 * runs nothing and prints nothing: the docs check reads every command the
 * docs give through it. A mistake rejects with the UserError a user would get.
 */
export async function parseOnly(argv: readonly string[]): Promise<ParsedCommandLine> {
  let parsed: ParsedCommandLine = { command: "help", args: [], values: {} };
  const silent: Writers = { out: () => {}, err: () => {} };
  const program = buildProgram("0.0.0", (spec, args, values) => {
    parsed = { command: spec.name, args, values };
    return Promise.resolve();
  }, silent);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) {
      return { command: error.code === "commander.version" ? "--version" : "help", args: [], values: {} };
    }
    throw error;
  }
  return parsed;
}

function define(command: Command, spec: CommandSpec, onCommand: OnCommand, writers: Writers): void {
  command.description(spec.summary).usage(spec.usage);
  for (const arg of spec.args) command.argument(arg, ARGUMENT_HELP[arg.slice(1, -1)] ?? "");
  for (const name of spec.options) {
    const option = OPTIONS[name]();
    const parse = option.parseArg;
    // A bad value is the user's mistake, told with this command's usage.
    if (parse) option.argParser((value: string, previous: unknown) => checked(command, () => parse(value, previous)));
    command.addOption(option);
  }
  quietly(command, writers);
  command.action(async (...received: unknown[]) => {
    const args = received.slice(0, spec.args.length).filter((a): a is string => typeof a === "string");
    await onCommand(spec, args, valuesOf(command));
  });
}

/** `help [command]`: the whole help, or one command's. */
function defineHelp(program: Command, writers: Writers): void {
  const help = program.command("help").description("this help, or one command's: socket-lessons help run");
  help.usage("[command]").argument("[command]", ARGUMENT_HELP.command!);
  quietly(help, writers);
  help.action((name: string | undefined) => {
    if (name === undefined) return program.outputHelp();
    const command = program.commands.find((c) => c.name() === name && name !== "help");
    if (command === undefined) {
      const names = COMMANDS.map((c) => c.name).join(", ");
      throw usageError(help, `Unknown command "${name}": the commands are ${names} and help.`);
    }
    command.outputHelp();
  });
}

/** Commander's output goes where ours does; its exits become errors the CLI reports as ours. */
function quietly(command: Command, writers: Writers): void {
  command
    .configureOutput({
      writeOut: writers.out,
      writeErr: writers.err,
      outputError: () => {}, // said instead by the UserError below
    })
    .exitOverride((error) => {
      if (error.exitCode === 0) throw error; // help or version: printed, done
      throw usageError(command, sentenceFor(error, command));
    });
}

function checked<T>(command: Command, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof BadValue) throw usageError(command, error.message);
    throw error;
  }
}

function usageError(command: Command, sentence: string): UserError {
  const path = command.parent ? `${NAME} ${command.name()}` : NAME;
  const usage = `Usage: ${path} ${command.usage()}`;
  if (command.name() === "help") return new UserError(sentence, usage);
  const more = command.parent ? `${NAME} help ${command.name()}` : `${NAME} help`;
  return new UserError(sentence, `${usage}   (all options: ${more})`);
}

/** Options a command refuses with a reason, where the option would be a natural thing to try. */
const NOT_FOR: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  replay: {
    "--hold": "--hold does nothing in a replay: nothing runs, and the recorded programs waited at holds, or not, " +
      "when the run was recorded (the replay shows them as they were).",
    "--probe": "A replay never reads this machine's kernel (--probe): what the kernel did is in the recording.",
    "--python": "A replay runs no Python (--python): the programs ran when the run was recorded.",
    "--port": "A replay opens no port (--port): the programs ran when the run was recorded.",
    "--record": "A replay is already a recording (--record): copy the file instead.",
    "--lessons": "A replay tells the lesson its recording holds (--lessons is not needed).",
    "--set": "A replay shows the run as it was, with the knobs it was run with (--set): " +
      "run the lesson to try other settings.",
  },
};

/** One sentence for each mistake commander finds, in the app's words. */
export function sentenceFor(error: CommanderError, command: Command): string {
  const message = error.message.replace(/^error: /, "");
  const name = command.parent ? command.name() : NAME;
  const forName = command.parent ? ` for ${name}` : "";
  switch (error.code) {
    case "commander.unknownOption": {
      const [, flag, suggestion] = /^unknown option '([^']*)'(?:\s*\(Did you mean (\S+)\?\))?/.exec(message) ?? [];
      const why = NOT_FOR[name]?.[flag?.split("=")[0] ?? ""];
      if (why) return why;
      const known = command.options.map((o) => o.long).filter(Boolean).join(", ");
      return suggestion
        ? `Unknown option ${flag}${forName}: did you mean ${suggestion}?`
        : `Unknown option ${flag}${forName}${known ? ` (it takes ${known})` : ""}.`;
    }
    case "commander.excessArguments": {
      const expected = command.registeredArguments;
      const extra = command.args.slice(expected.length).join(" ");
      return `Unexpected "${extra}": ${name} takes ${takes(expected)}.`;
    }
    case "commander.missingArgument": {
      const [missing] = command.registeredArguments.filter((a, i) => a.required && command.args[i] === undefined);
      const what = missing?.name() === "id"
        ? `a lesson id, e.g. ${NAME} ${name} blocking-send`
        : missing?.name() === "exercise"
        ? `an exercise id, e.g. ${NAME} ${name} send-it-all (the exercises: ${NAME} exercise)`
        : missing?.name() === "file"
        ? `a recording, e.g. ${NAME} ${name} run.ndjson.gz`
        : missing?.name();
      return `${name} needs ${what}.`;
    }
    case "commander.optionMissingArgument": {
      const [, flags] = /^option '([^']*)' argument missing/.exec(message) ?? [];
      return `${flags?.split(" ")[0]} needs a value: ${flags}.`;
    }
    case "commander.conflictingOption": {
      const [, a, b] = /option '(\S+)'.* option '(\S+)'/.exec(message) ?? [];
      return `${a} and ${b} cannot be used together: choose one.`;
    }
    default:
      return `${message.charAt(0).toUpperCase()}${message.slice(1).replace(/\.?$/, ".")}`;
  }
}

function takes(expected: readonly Argument[]): string {
  if (expected.length === 0) return "no arguments";
  const words: Readonly<Record<string, string>> = {
    id: "a lesson id",
    exercise: "an exercise id",
    file: "a recording",
    dir: "a folder",
  };
  const named = (a: Argument) => words[a.name()] ?? a.name();
  return `only ${expected.map(named).join(" and ")}`;
}

/**
 * The command's options (and those given before the command), as the
 * commands read them: commander's names, but "--no-color" as itself.
 */
function valuesOf(command: Command): CliValues {
  const { color, ...given } = command.optsWithGlobals() as Record<string, unknown>;
  return { ...given, ...(color === false ? { "no-color": true } : {}) } as CliValues;
}
