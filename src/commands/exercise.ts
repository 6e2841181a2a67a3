// socket-lessons exercise [<id>] [--dir DIR] [--force] [--solution] [--json]
// Without an id: the exercises. With one: its starter copied into the
// learner's folder (never over their work without asking), and what to do.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, relative } from "node:path";
import type { CliValues } from "../cli.ts";
import { UserError } from "../runner/errors.ts";
import { safeJson, safeLine, safeText } from "../text/sanitize.ts";
import { allExercises, findExercise, type Found, loadProgress, shown, workFile } from "./exercises.ts";
import { lessonSet, warnBroken } from "./lessons.ts";

function out(line = ""): void {
  process.stdout.write(`${line}\n`);
}

export async function exerciseCommand(id: string | null, values: CliValues): Promise<number> {
  const set = await lessonSet(values.lessons);
  warnBroken(set);
  if (id === null) return listExercises(allExercises(set), values);
  const found = findExercise(set, id);
  if (values.solution) return showSolution(found, values);
  const file = workFile(found.exercise, values.dir);
  const copied = await placeStarter(found, file, values);
  describe(found, file, copied, values);
  return 0;
}

function listExercises(all: readonly Found[], values: CliValues): number {
  const progress = loadProgress();
  const rows = all.map(({ lesson, exercise }) => ({
    id: exercise.id,
    title: exercise.title,
    lesson: lesson.id,
    passed: progress.exercise(exercise.id).passed !== null,
  }));
  if (values.json) {
    out(safeJson(JSON.stringify(rows)));
    return 0;
  }
  if (rows.length === 0) out("No exercises found.");
  const width = Math.max(...rows.map((r) => r.id.length), 2);
  for (const r of rows) {
    out(`${safeLine(r.id).padEnd(width)}  ${safeLine(r.title)}${r.passed ? "  (passed)" : ""}`);
    out(`${"".padEnd(width)}  goes with the lesson ${safeLine(r.lesson)}`);
  }
  if (rows.length > 0) out(`\nStart one: socket-lessons exercise ${rows[0]!.id}`);
  return 0;
}

/** "copied", "kept" (their file stays: they said no), or "same" (already the starter). */
type Placed = "copied" | "kept" | "same";

async function placeStarter(found: Found, file: string, values: CliValues): Promise<Placed> {
  const starter = found.exercise.starter;
  if (existsSync(file) && !values.force) {
    if (sameText(file, starter)) return "same";
    const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true && !values.json;
    if (!terminal) {
      throw new UserError(
        `${shown(file)} already exists, and it is not the starter: your work is kept.`,
        `To start afresh: socket-lessons exercise ${found.exercise.id} --force (it replaces the file).`,
      );
    }
    if (!(await confirm(`${shown(file)} already exists (your work?). Replace it with the starter? [y/N] `))) {
      return "kept";
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  copyFileSync(starter, file);
  return "copied";
}

function sameText(a: string, b: string): boolean {
  try {
    return readFileSync(a, "utf8") === readFileSync(b, "utf8");
  } catch {
    return false;
  }
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function describe({ lesson, exercise }: Found, file: string, placed: Placed, values: CliValues): void {
  const progress = loadProgress();
  const passed = progress.exercise(exercise.id).passed;
  const others = exercise.programs.filter((p) => p.name !== exercise.program);
  const checkCommand = `socket-lessons check ${exercise.id}${values.dir === undefined ? "" : ` ${shown(file)}`}`;
  if (values.json) {
    out(safeJson(JSON.stringify({
      type: "exercise",
      id: exercise.id,
      title: exercise.title,
      lesson: lesson.id,
      task: exercise.task,
      file: shown(file),
      placed,
      program: exercise.program,
      against: others.map((p) => ({ name: p.name, file: relative(process.cwd(), p.file) })),
      criteria: exercise.criteria.map((c) => c.title),
      hints: exercise.hints.length,
      passed,
      check: checkCommand,
    })));
    return;
  }
  const w = (line = "") => out(safeText(line));
  w(`Exercise ${exercise.id}: ${exercise.title}`);
  w(`(it goes with the lesson "${lesson.title}": socket-lessons run ${lesson.id} --plain)`);
  w();
  for (const line of exercise.task.split("\n")) w(line);
  w();
  const what = placed === "copied"
    ? `a copy of the lesson's ${basename(exercise.starter)}`
    : placed === "same"
    ? "the starter, as it was given"
    : "yours, kept as it was";
  w(`Your file: ${shown(file)}  (${what})`);
  w(
    `It runs as ${exercise.program}${
      others.length > 0
        ? `, against ${others.map((p) => `${p.name} (${relative(process.cwd(), p.file) || p.file})`).join(", ")}`
        : ""
    }.`,
  );
  w();
  w("What the check judges, from what the kernel sees:");
  for (const c of exercise.criteria) w(`  - ${c.title}`);
  w();
  w(`Check it:  ${checkCommand}   (--watch: again on every save)`);
  if (exercise.hints.length > 0) {
    const revealed = progress.exercise(exercise.id).hints;
    w(`Stuck?     socket-lessons check ${exercise.id} --hint   (${exercise.hints.length} hints, ${revealed} revealed)`);
  }
  if (passed !== null) {
    w();
    w(`You passed it on ${
      passed.slice(0, 10)
    }. The reference solution: socket-lessons exercise ${exercise.id} --solution`);
  }
}

function showSolution({ exercise }: Found, values: CliValues): number {
  const progress = loadProgress();
  if (progress.exercise(exercise.id).passed === null) {
    throw new UserError(
      `The reference solution of ${exercise.id} is shown once you have passed it.`,
      `Check your program: socket-lessons check ${exercise.id}`,
    );
  }
  const source = readFileSync(exercise.solution, "utf8");
  if (values.json) {
    out(safeJson(JSON.stringify({ type: "solution", id: exercise.id, file: basename(exercise.solution), source })));
    return 0;
  }
  out(safeText(`The reference solution of ${exercise.id} (${basename(exercise.solution)}):`));
  out();
  out(safeText(source.trimEnd()));
  return 0;
}
