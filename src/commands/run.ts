// socket-lessons run <id> --plain | --json, and the TUI's entry when there is a terminal.
import type { CliValues } from "../cli.ts";
import type { Fact } from "../facts/types.ts";
import type { Lesson } from "../lessons/schema.ts";
import type { Observation } from "../observations.ts";
import { createProbe } from "../probe/index.ts";
import { JsonReporter } from "../report/json.ts";
import { PlainReporter } from "../report/plain.ts";
import { exitOnCrash, exitOnSignals } from "../runner/cleanup.ts";
import { UserError } from "../runner/errors.ts";
import { checkPortFree, findFreePort } from "../runner/ports.ts";
import { tracerPath } from "../runner/program.ts";
import { findPythonAsync } from "../runner/python.ts";
import { LessonRun, type RunResult } from "../runner/run-lesson.ts";
import { createSession, reduceSession, type SessionState } from "../session/session.ts";
import { safeJson, safeText } from "../text/sanitize.ts";
import { findLesson, lessonSet, warnBroken } from "./lessons.ts";

export type OutputMode = "plain" | "json" | "auto";

export interface Prepared {
  readonly python: string;
  readonly port: number;
  readonly probe: ReturnType<typeof createProbe>;
  readonly tracer: string;
}

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

/** Everything a run needs from the machine, checked before any program starts. */
export async function prepareRun(values: CliValues): Promise<Prepared> {
  if (process.platform === "win32") throw new UserError(WINDOWS_NOTE, WINDOWS_HINT);
  const mode = values.probe ?? "auto";
  if (mode !== "auto" && mode !== "trace-only") {
    throw new UserError(`--probe ${mode} is not a probe mode.`, "Use --probe auto or --probe trace-only.");
  }
  // Both at once; when both fail, Python's problem is the one told (it is told first everywhere).
  const [python, port] = await Promise.allSettled([
    findPythonAsync(values.python ?? "python3"),
    values.port !== undefined ? checkPortFree(Number(values.port)) : findFreePort(),
  ]).then(([p, q]) => [settled(p), settled(q)] as const);
  return { python: python.command, port, probe: createProbe(mode), tracer: tracerPath() };
}

export interface SessionViewer {
  update(s: SessionState): void;
  fact?(f: Fact): void;
  problem?(m: string): void;
}

/** Runs a lesson headless, feeding one session that the reporter shows. */
export function runLessonHeadless(
  lesson: Lesson,
  prepared: Prepared,
  show: SessionViewer,
): Promise<{ result: RunResult; session: SessionState }> {
  return startLesson(lesson, prepared, show).done;
}

/**
 * Starts a lesson feeding one session to a viewer, and hands back the run
 * itself too, for a viewer that can stop it or pause its output (the TUI).
 */
export function startLesson(
  lesson: Lesson,
  prepared: Prepared,
  show: SessionViewer,
): { run: LessonRun; done: Promise<{ result: RunResult; session: SessionState }> } {
  let session = createSession(lesson);
  const run = new LessonRun(lesson, {
    ...prepared,
    onObservation: (obs: Observation) => {
      session = reduceSession(session, { type: "observation", obs });
      show.update(session);
    },
    onFact: (fact) => {
      show.fact?.(fact);
      session = reduceSession(session, { type: "fact", fact });
      show.update(session);
    },
    onProblem: (message) => show.problem?.(message),
  });
  return { run, done: run.run().then((result) => ({ result, session })) };
}

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Said before anything starts on Windows: the runner stops programs through
 * POSIX process groups and the tracer reads sockets with fcntl/ioctl, and
 * neither has been built or tested for Windows.
 */
export const WINDOWS_NOTE =
  "Lessons cannot run on Windows yet: stopping the programs needs POSIX process groups, and the tracer needs fcntl.";
export const WINDOWS_HINT =
  "`socket-lessons list` and `socket-lessons doctor` work here; run the lessons in WSL (Linux) for the full kernel view.";

export async function runCommand(id: string | null, values: CliValues, mode: OutputMode): Promise<number> {
  if (process.platform === "win32" && id !== null) throw new UserError(WINDOWS_NOTE, WINDOWS_HINT);
  const interactive = mode === "auto" && process.stdout.isTTY === true && process.stdin.isTTY === true &&
    process.env.CI !== "true";
  if (interactive) {
    const { startTui } = await import("../ui/start.tsx");
    return startTui(id, values);
  }
  const set = await lessonSet(values.lessons);
  if (id === null) {
    // No terminal to show a menu in: list the lessons instead.
    const { listCommand } = await import("./list.ts");
    return listCommand(values);
  }
  const lesson = findLesson(set, id);
  if (set.errors.length > 0) warnBroken({ lessons: [], errors: set.errors.filter((e) => !e.file.includes(id)) });
  const prepared = await prepareRun(values);
  exitOnSignals();
  exitOnCrash();
  if (mode === "json") {
    const reporter = new JsonReporter((line) => writeLine(safeJson(line)));
    const { result, session } = await runLessonHeadless(lesson, prepared, {
      update: (s) => reporter.update(s),
      fact: (f) => reporter.fact(f),
      problem: (m) => reporter.problem(m),
    });
    reporter.finish(session);
    return exitCode(session, result);
  }
  // Everything --plain prints passes here: lesson text, beats, program output, problems.
  const reporter = new PlainReporter((line) => writeLine(safeText(line)));
  const { result, session } = await runLessonHeadless(lesson, prepared, { update: (s) => reporter.update(s) });
  reporter.finish(session, result.problems);
  return exitCode(session, result);
}

/** 0 when every program ended well or was stopped by the lesson itself. */
function exitCode(session: SessionState, result: RunResult): number {
  const failed = session.lanes.some((l) => l.exit && l.exit.code !== 0 && l.exit.stoppedBy !== "lesson over");
  const neverStarted = session.lanes.some((l) => l.status === "waiting");
  return failed || neverStarted || result.endReason.startsWith("timed out") ? 1 : 0;
}
