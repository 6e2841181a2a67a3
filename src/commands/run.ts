// socket-lessons run <id> --plain | --json, and the TUI's entry when there is a terminal.
import type { CliValues } from "../cli.ts";
import { prepareRun, WINDOWS_HINT, WINDOWS_NOTE } from "../engine/prepare.ts";
import { holdModeFor } from "../engine/holds.ts";
import { startLesson } from "../engine/start.ts";
import { JsonReporter } from "../report/json.ts";
import { type Asker, PlainReporter } from "../report/plain.ts";
import { canAsk, terminalAsker } from "../report/ask-terminal.ts";
import { nextSteps } from "../session/next-step.ts";
import { exitOnCrash, exitOnSignals } from "../runner/cleanup.ts";
import { UserError } from "../runner/errors.ts";
import { portTakenError } from "../runner/ports.ts";
import { LESSON_OVER, type RunResult } from "../runner/run-lesson.ts";
import type { SessionState } from "../session/session.ts";
import { safeJson, safeText } from "../text/sanitize.ts";
import { findLesson, lessonSet, warnBroken } from "./lessons.ts";

export type OutputMode = "plain" | "json" | "auto";

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

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
    const { result, session } = await startLesson(lesson, prepared, {
      update: (s) => reporter.update(s),
      fact: (f) => reporter.fact(f),
      problem: (m) => reporter.problem(m),
    }, { holds: holdModeFor(values.hold, false) }).done;
    reporter.finish(session, nextSteps(lesson, set.lessons));
    return exitCode(session, result, values, prepared.port);
  }
  // Everything --plain prints passes here: lesson text, beats, program output, problems.
  const asker = canAsk() ? await answersKept(lesson.id) : undefined;
  const reporter = new PlainReporter((line) => writeLine(safeText(line)), asker);
  const { result, session } = await startLesson(lesson, prepared, { update: (s) => reporter.update(s) }, {
    holds: holdModeFor(values.hold, false),
  }).done;
  await reporter.finish(session, result.problems, nextSteps(lesson, set.lessons));
  return exitCode(session, result, values, prepared.port);
}

/** On a terminal, the beats' questions are asked; each answer is kept in the progress file. */
async function answersKept(lessonId: string): Promise<Asker> {
  const { loadProgress } = await import("./exercises.ts");
  const progress = loadProgress();
  return terminalAsker((beat, _question, answer, verdict) => {
    progress.setAnswer(lessonId, beat.index, {
      answer,
      right: verdict.right,
      measured: beat.question?.answer ?? "",
      at: new Date().toISOString(),
    });
  });
}

/** 0 when every program ended well or was stopped by the lesson itself; the busy-port error when its port was taken. */
function exitCode(session: SessionState, result: RunResult, values: CliValues, port: number): number {
  if (result.portTaken) throw portTakenError(port, values.port !== undefined);
  const failed = session.lanes.some((l) => l.exit && l.exit.code !== 0 && l.exit.stoppedBy !== LESSON_OVER);
  const neverStarted = session.lanes.some((l) => l.status === "waiting");
  return failed || neverStarted || result.endReason.startsWith("timed out") ? 1 : 0;
}
