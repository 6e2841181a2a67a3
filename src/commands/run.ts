// socket-lessons run <id> --plain | --json, and the TUI's entry when there is a terminal.
import { hostPlatform } from "../platform.ts";
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
import { findLesson, lessonSet, lessonWithSettings, warnBroken } from "./lessons.ts";
import { prepareOutputs, type RunOutputs } from "./run-outputs.ts";

export type OutputMode = "plain" | "json" | "auto";

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function runCommand(id: string | null, values: CliValues, mode: OutputMode): Promise<number> {
  if (hostPlatform() === "win32" && id !== null) throw new UserError(WINDOWS_NOTE, WINDOWS_HINT);
  const interactive = mode === "auto" && process.stdout.isTTY === true && process.stdin.isTTY === true &&
    process.env.CI !== "true";
  if (id === null && values.set !== undefined) {
    throw new UserError(
      "--set changes a lesson's knobs: name the lesson too.",
      "e.g. socket-lessons blocking-send --set sndbuf=65536",
    );
  }
  if (interactive) {
    const { startTui } = await import("../ui/start.tsx");
    return startTui(id, values);
  }
  if (values.present) {
    // Piped, the app would narrate as text: nothing of presenter mode would be left.
    throw new UserError(
      "--present needs a terminal: presenter mode is a screen of the player.",
      "Run it in a terminal, or use --plain for text.",
    );
  }
  const set = await lessonSet(values.lessons);
  if (id === null) {
    // No terminal to show a menu in: list the lessons instead.
    const { listCommand } = await import("./list.ts");
    return listCommand(values);
  }
  const lesson = lessonWithSettings(findLesson(set, id), values.set);
  if (set.errors.length > 0) warnBroken({ lessons: [], errors: set.errors.filter((e) => !e.file.includes(id)) });
  const prepared = await prepareRun(values);
  const holds = holdModeFor(values.hold, false);
  const outputs = prepareOutputs(lesson, values, holds);
  const written = whenEnded(outputs);
  exitOnSignals();
  exitOnCrash();
  if (mode === "json") {
    const reporter = new JsonReporter((line) => writeLine(safeJson(line)));
    const { result, session } = await startLesson(lesson, prepared, {
      update: (s) => {
        reporter.update(s);
        written.update(s);
      },
      fact: (f) => reporter.fact(f),
      problem: (m) => reporter.problem(m),
    }, { holds, record: outputs.record }).done;
    reporter.finish(session, nextSteps(lesson, set.lessons));
    written.check();
    return exitCode(session, result, values, prepared.port);
  }
  // Everything --plain prints passes here: lesson text, beats, program output, problems.
  const asker = canAsk() ? await answersKept(lesson.id) : undefined;
  const reporter = new PlainReporter((line) => writeLine(safeText(line)), null, asker);
  const { result, session } = await startLesson(lesson, prepared, {
    update: (s) => {
      reporter.update(s);
      written.update(s);
    },
  }, { holds, record: outputs.record }).done;
  await reporter.finish(session, result.problems, nextSteps(lesson, set.lessons));
  written.check();
  return exitCode(session, result, values, prepared.port);
}

/**
 * Writes the run's files the moment its session ends, so they are written on
 * every way out (Ctrl-C ends the run too); a file that could not be written
 * is the command's error once the narration is complete.
 */
function whenEnded(outputs: RunOutputs): { update(s: SessionState): void; check(): void } {
  let failure: unknown = null;
  return {
    update(s) {
      if (s.ended === null) return;
      try {
        for (const line of outputs.ended(s)) process.stderr.write(`socket-lessons: ${safeText(line)}\n`);
      } catch (error) {
        failure ??= error;
      }
    },
    check() {
      if (failure !== null) throw failure;
    },
  };
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
