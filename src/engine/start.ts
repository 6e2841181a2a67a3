// Starting a lesson run that feeds one session: the engine's entry for the
// commands (--plain, --json) and the TUI alike.
import type { Fact } from "../facts/types.ts";
import type { Lesson } from "../lessons/schema.ts";
import type { Observation } from "../observations.ts";
import { LessonRun, type RunResult } from "../runner/run-lesson.ts";
import { createSession, reduceSession, type SessionState } from "../session/session.ts";
import type { Prepared } from "./prepare.ts";

export interface SessionViewer {
  update(s: SessionState): void;
  fact?(f: Fact): void;
  problem?(m: string): void;
}

export interface StartedLesson {
  /** The run itself, for a viewer that can stop it or pause its output (the TUI). */
  readonly run: LessonRun;
  readonly done: Promise<{ readonly result: RunResult; readonly session: SessionState }>;
}

export function startLesson(lesson: Lesson, prepared: Prepared, show: SessionViewer): StartedLesson {
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
