// socket-lessons programs <id> [dir]: a lesson's Python programs copied where
// a learner can read and run them by hand. Installed with npx, they sit deep
// inside npm's cache; this puts them in a folder of the learner's choosing
// and prints the exact commands, in the order the lesson starts them.
import { constants, copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { CliValues } from "../cli.ts";
import { factHappens } from "../facts/describe.ts";
import type { Lesson, ProgramSpec } from "../lessons/schema.ts";
import { UserError } from "../runner/errors.ts";
import { checkPortFree, findFreePort, LESSON_HOST } from "../runner/ports.ts";
import { safeJson, safeLine } from "../text/sanitize.ts";
import { findLesson, lessonSet, warnBroken } from "./lessons.ts";

/** Beside the folder `exercise <id>` writes to (./socket-lessons-work), never inside it. */
export const PROGRAMS_DIR = "socket-lessons-programs";

/** One program as a learner starts it by hand. */
export interface HandRun {
  readonly program: string;
  /** The shell line: env, python, file, port. Run in the folder the programs were copied to. */
  readonly command: string;
  /** When to start it, in words: "first", "next", and the moment the lesson starts it. */
  readonly when: string;
}

export async function programsCommand(id: string, dir: string | undefined, values: CliValues): Promise<number> {
  const set = await lessonSet(values.lessons);
  const lesson = findLesson(set, id);
  if (set.errors.length > 0) warnBroken({ lessons: [], errors: set.errors.filter((e) => !e.file.includes(id)) });
  const shown = dir ?? join(PROGRAMS_DIR, lesson.id);
  const files = copyPrograms(lesson, resolve(shown), shown);
  // A --port is checked as a run checks it, so "free when this was printed" holds for it too.
  const port = values.port !== undefined ? await checkPortFree(values.port) : await findFreePort();
  const runs = handRuns(lesson, values.python ?? "python3", port);
  if (values.json) {
    const answer = { id: lesson.id, dir: resolve(shown), files, host: LESSON_HOST, port, runs, stop: stopNote(lesson) };
    process.stdout.write(`${safeJson(JSON.stringify(answer))}\n`);
    return 0;
  }
  const lines = describe(lesson, shown, files, port, runs);
  // Checked for the shipped programs only (test/integration/programs.test.ts); an instructor's may differ.
  if (values.lessons === undefined) lines.push("", "Run without a port, they use the tutorial's 12345.");
  for (const line of lines) process.stdout.write(`${safeLine(line)}\n`);
  return 0;
}

/** Each program file once (a lesson may run one file as several programs), in start order. */
function programFiles(lesson: Lesson): string[] {
  return [...new Set(lesson.programs.map((p) => p.file))];
}

/**
 * Copies the files, or refuses before copying any when one is already there:
 * a learner's edited copy must never be replaced without a word.
 */
function copyPrograms(lesson: Lesson, dest: string, shown: string): string[] {
  const sources = programFiles(lesson);
  const names = sources.map((file) => basename(file));
  if (existsSync(dest) && !statSync(dest).isDirectory()) {
    throw new UserError(`${shown} is not a folder.`, "Give another folder: socket-lessons programs <id> DIR");
  }
  const taken = names.filter((name) => existsSync(join(dest, name)));
  if (taken.length > 0) throw alreadyThere(lesson.id, shown, taken);
  mkdirSync(dest, { recursive: true });
  for (const [i, source] of sources.entries()) {
    try {
      // COPYFILE_EXCL: a file that appeared since the check above is still not overwritten.
      copyFileSync(source, join(dest, names[i]!), constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw alreadyThere(lesson.id, shown, [names[i]!]);
      throw error;
    }
  }
  return names;
}

function alreadyThere(id: string, shown: string, taken: readonly string[]): UserError {
  return new UserError(
    `${shown} already has ${taken.join(", ")}: socket-lessons never overwrites a file, so nothing was copied.`,
    `Move them away, or copy to another folder: socket-lessons programs ${id} OTHER-FOLDER`,
  );
}

/** The shell lines, as the runner starts them: the port as argv[1], the lesson's env before. */
export function handRuns(lesson: Lesson, python: string, port: number): HandRun[] {
  return lesson.programs.map((program, i) => ({
    program: program.name,
    command: [...envWords(program), shellWord(python), shellWord(basename(program.file)), String(port)].join(" "),
    when: i === 0 ? "first" : startWords(program),
  }));
}

function envWords(program: ProgramSpec): string[] {
  return Object.entries(program.env).map(([name, value]) => `${name}=${shellWord(value)}`);
}

/** By hand, "next" is enough; the lesson's own moment says when it would (a learner can wait for it, or not). */
function startWords(program: ProgramSpec): string {
  if (program.start === "at-once") return "next";
  return `next (the lesson starts it once ${factHappens(program.start.fact, program.start.program)})`;
}

/** Programs the lesson stops itself (a server that serves for ever): by hand, Ctrl-C does. */
function stopNote(lesson: Lesson): string | null {
  if (lesson.endsWhen === "all-exited") return null;
  const when = factHappens(lesson.endsWhen.on, lesson.endsWhen.program);
  return `The lesson stops the programs still running when ${when}; by hand, stop them with Ctrl-C.`;
}

/** A word the shell reads as itself: plain when safe, else single-quoted. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Prose for an 80-column terminal: the commands themselves are never wrapped. */
const WIDTH = 80;

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** "The lesson starts the client once ...", one sentence per moment (three clients at one moment: one sentence). */
function startNotes(lesson: Lesson): string[] {
  const byMoment = new Map<string, string[]>();
  for (const program of lesson.programs.slice(1)) {
    if (program.start === "at-once") continue;
    const moment = factHappens(program.start.fact, program.start.program);
    byMoment.set(moment, [...(byMoment.get(moment) ?? []), program.name]);
  }
  return [...byMoment].map(([moment, names]) => {
    const who = names.length === 1 ? `the ${names[0]}` : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
    return `The lesson starts ${who} once ${moment}.`;
  });
}

function describe(lesson: Lesson, shown: string, files: readonly string[], port: number, runs: HandRun[]): string[] {
  const width = Math.max(...runs.map((r) => r.command.length));
  const stop = stopNote(lesson);
  return [
    ...wrap(`Copied ${lesson.id}'s programs to ${shown}: ${files.join(", ")}.`),
    "",
    ...wrap(
      `Run them by hand in that folder, each in a terminal of its own, in this order (port ${port} on ` +
        `${LESSON_HOST} was free when this was printed):`,
    ),
    "",
    `  cd ${shellWord(shown)}`,
    ...runs.map((r, i) => `  ${r.command.padEnd(width)}  # ${i + 1}. ${r.program}`),
    "",
    ...wrap(["In each new terminal, cd to the folder first.", ...startNotes(lesson), stop ?? ""].join(" ").trim()),
  ];
}
