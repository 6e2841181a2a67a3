// socket-lessons check <id> [FILE] [--watch] [--hint] [--json]
// Runs the learner's program in place of the lesson program the exercise
// names, judges the run by its facts, prints the verdict; a pass is saved.
// Exit: 0 passed, 1 not (or the program failed), 2 something to fix first.
import { existsSync, readFileSync, statSync, watch as watchFolder } from "node:fs";
import { basename } from "node:path";
import type { CliValues } from "../cli.ts";
import { type Prepared, prepareRun, WINDOWS_HINT, WINDOWS_NOTE } from "../engine/prepare.ts";
import { type LearnerFile, learnerFile } from "../exercises/learner-file.ts";
import { type CheckDone, type CheckRun, startCheck } from "../exercises/run-check.ts";
import { type VerdictContext, verdictJson, verdictLines } from "../report/verdict.ts";
import { exitOnCrash, exitOnSignals, onCleanup } from "../runner/cleanup.ts";
import { UserError } from "../runner/errors.ts";
import { findFreePort, portTakenError } from "../runner/ports.ts";
import { safeJson, safeText } from "../text/sanitize.ts";
import { findExercise, type Found, loadProgress, shown, workFile } from "./exercises.ts";
import { lessonSet } from "./lessons.ts";

/** A save is told by several events (write, rename, attributes): one check once they stop for this long. */
export const SAVE_SETTLE_MS = 100;

interface Output {
  text(line?: string): void;
  json(obj: Record<string, unknown>): void;
}

function output(values: CliValues): Output {
  return {
    text: (line = "") => {
      if (!values.json) process.stdout.write(`${safeText(line)}\n`);
    },
    json: (obj) => {
      if (values.json) process.stdout.write(`${safeJson(JSON.stringify(obj))}\n`);
    },
  };
}

export async function checkCommand(id: string, fileArg: string | null, values: CliValues): Promise<number> {
  if (process.platform === "win32") throw new UserError(WINDOWS_NOTE, WINDOWS_HINT);
  const set = await lessonSet(values.lessons);
  const found = findExercise(set, id);
  const out = output(values);
  if (values.hint) {
    if (fileArg !== null) {
      throw new UserError(`--hint reveals the next hint and checks no file: leave out "${fileArg}".`);
    }
    return showHint(found, out);
  }
  const path = fileArg ?? workFile(found.exercise);
  const file = learnerFile(
    path,
    fileArg === null
      ? `Start the exercise first: socket-lessons exercise ${id} (or name your file: socket-lessons check ${id} FILE)`
      : "Name the Python program to check.",
  );
  const prepared = await prepareRun(values);
  exitOnSignals();
  exitOnCrash();
  if (values.watch) return await watchAndCheck(found, file, prepared, out);
  const done = await checkOnce(found, file, prepared, out);
  if (done.result.portTaken) throw portTakenError(prepared.port, false);
  return done.verdict.passed ? 0 : 1;
}

function header(found: Found, file: LearnerFile, prepared: Prepared, out: Output): void {
  const { exercise, lesson } = found;
  const replaced = exercise.programs.find((p) => p.name === exercise.program)!;
  const others = exercise.programs.filter((p) => p.name !== exercise.program);
  out.json({
    type: "check",
    exercise: exercise.id,
    lesson: lesson.id,
    file: file.path,
    program: exercise.program,
    against: others.map((p) => p.name),
    port: prepared.port,
  });
  const against = others.length > 0
    ? `, against ${others.map((p) => `${p.name} (${basename(p.file)})`).join(", ")}`
    : "";
  out.text(
    `Checking ${shown(file.path)} in place of ${exercise.program} (${
      basename(replaced.file)
    })${against}: ${exercise.title}`,
  );
}

async function checkOnce(found: Found, file: LearnerFile, prepared: Prepared, out: Output): Promise<CheckDone> {
  const run = begin(found, file, prepared, out);
  const done = await run.done;
  report(found, file, done, run.startedAt, out);
  return done;
}

interface Begun extends CheckRun {
  readonly startedAt: number;
}

function begin(found: Found, file: LearnerFile, prepared: Prepared, out: Output): Begun {
  header(found, file, prepared, out);
  // Before the start: starting runs the lesson's clock and its time limit already.
  const startedAt = performance.now();
  return { ...startCheck(found.lesson, found.exercise, file, prepared), startedAt };
}

function report(found: Found, file: LearnerFile, done: CheckDone, startedAt: number, out: Output): void {
  const { exercise } = found;
  let saved: VerdictContext["saved"] = "no";
  const progress = loadProgress();
  if (done.verdict.passed) {
    saved = progress.exercise(exercise.id).passed === null ? "now" : "before";
    progress.markPassed(exercise.id);
    for (const warning of progress.warnings) out.text(`! ${warning}`);
  }
  const ctx: VerdictContext = { exercise, file: shown(file.path), ms: performance.now() - startedAt, saved };
  for (const line of verdictLines(done, ctx)) out.text(line);
  for (const obj of verdictJson(done, ctx)) out.json(obj);
  if (saved === "now") {
    // The reference solution, once: to compare with what just passed.
    out.text();
    out.text(`The reference solution (${basename(exercise.solution)}), to compare with yours:`);
    out.text();
    for (const line of readFileSync(exercise.solution, "utf8").trimEnd().split("\n")) out.text(line && `  ${line}`);
  } else if (saved === "before") {
    out.text(`The reference solution: socket-lessons exercise ${exercise.id} --solution`);
  }
}

function showHint({ exercise }: Found, out: Output): number {
  const total = exercise.hints.length;
  if (total === 0) {
    out.text(`${exercise.id} has no hints.`);
    out.json({ type: "hint", exercise: exercise.id, index: null, of: 0, text: null, new: false });
    return 0;
  }
  const progress = loadProgress();
  const before = progress.exercise(exercise.id).hints;
  const now = progress.revealHint(exercise.id, total);
  for (const warning of progress.warnings) out.text(`! ${warning}`);
  exercise.hints.slice(0, now).forEach((text, i) => {
    out.text(`Hint ${i + 1} of ${total}: ${text}`);
    out.json({ type: "hint", exercise: exercise.id, index: i + 1, of: total, text, new: i + 1 > before });
  });
  if (now === before) out.text("That was the last hint.");
  else if (now < total) out.text(`Another: socket-lessons check ${exercise.id} --hint`);
  return 0;
}

/**
 * --watch: a check now, and again on every save of the file (within a
 * second of it); a save while a check runs stops that run first (its
 * programs with it). Ctrl-C or SIGTERM stop the running check and leave
 * (the cleanups of exitOnSignals). It does not return by itself.
 */
async function watchAndCheck(found: Found, file: LearnerFile, prepared: Prepared, out: Output): Promise<number> {
  const saves = new SaveWatcher(file);
  onCleanup(() => saves.close());
  out.text(`Watching ${shown(file.path)}: checked again on every save (Ctrl-C to stop).`);
  let port = prepared.port;
  for (let n = 1;; n++) {
    if (n > 1) {
      out.text();
      out.text(`— ${shown(file.path)} saved: check ${n} —`);
      out.json({ type: "saved", file: file.path, check: n });
      // A fresh port: the last run's connections may hold the old one in TIME_WAIT.
      port = await findFreePort();
    }
    const run = begin(found, file, { ...prepared, port }, out);
    const next = saves.next();
    const first = await Promise.race([run.done.then((done) => ({ done })), next.then(() => null)]);
    if (first === null) {
      await run.started.run.stop("the file was saved again", "the file was saved again");
      out.text("(stopped: the file was saved again before this check ended)");
      out.json({ type: "stopped", reason: "the file was saved again" });
      continue;
    }
    if (first.done.result.portTaken) out.text(`! ${portTakenError(port, false).message}`);
    else report(found, file, first.done, run.startedAt, out);
    await next;
  }
}

/**
 * Saves of one file, seen through its folder (an editor that writes a new
 * file and renames it over the old one replaces the file, and a watch on
 * the file itself would lose it). A save counts once the events have
 * settled and the file is there again.
 */
class SaveWatcher {
  private readonly watcher;
  private waiting: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSeen: string;

  constructor(private readonly file: LearnerFile) {
    this.lastSeen = this.stamp();
    this.watcher = watchFolder(file.dir, (_event, name) => {
      if (name !== null && name !== file.name) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.settled(), SAVE_SETTLE_MS);
    });
  }

  /** Resolves at the next save. */
  next(): Promise<void> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher.close();
  }

  private settled(): void {
    this.timer = null;
    if (!existsSync(this.file.path)) return; // mid-replace: the rename that brings it back comes next
    const stamp = this.stamp();
    if (stamp === this.lastSeen) return; // opened, read, touched by a scanner: not a save
    this.lastSeen = stamp;
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.();
  }

  /** What tells one save from another: the file's change time, size and inode. */
  private stamp(): string {
    const stat = statSync(this.file.path, { throwIfNoEntry: false });
    return stat ? `${stat.ctimeMs}|${stat.size}|${stat.ino}` : "gone";
  }
}
