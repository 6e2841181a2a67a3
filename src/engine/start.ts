// Starting a lesson run that feeds one session: the engine's entry for the
// commands (--plain, --json) and the TUI alike.
import type { Fact } from "../facts/types.ts";
import type { Lesson } from "../lessons/schema.ts";
import type { Observation } from "../observations.ts";
import type { RunSink } from "../recording/recorder.ts";
import { LessonRun, type RunOptions, type RunResult } from "../runner/run-lesson.ts";
import { createSession, reduceSession, type SessionState } from "../session/session.ts";
import { HoldController, type HoldMode } from "./holds.ts";
import type { Prepared } from "./prepare.ts";

export interface SessionViewer {
  update(s: SessionState): void;
  fact?(f: Fact): void;
  problem?(m: string): void;
}

export interface StartOptions {
  /** Whether programs wait at the lesson's holds, and until when (off by default). */
  readonly holds?: HoldMode;
  /** An exercise's check: the learner's file, the calls to count, its time limit. */
  readonly check?: Pick<RunOptions, "learner" | "countCalls" | "timeoutMs">;
  /**
   * Told every observation, fact and problem of the run, in the order the
   * runner reports them, before the session takes them in: a recording
   * (src/recording/recorder.ts) is complete when a viewer sees the run end.
   */
  readonly record?: RunSink;
}

export interface StartedLesson {
  /** The run itself, for a viewer that can stop it or pause its output (the TUI). */
  readonly run: LessonRun;
  /** The holds: the TUI tells them when the learner moves on, or turns them off. */
  readonly holds: HoldController;
  readonly done: Promise<{ readonly result: RunResult; readonly session: SessionState }>;
}

export function startLesson(
  lesson: Lesson,
  prepared: Prepared,
  show: SessionViewer,
  options: StartOptions = {},
): StartedLesson {
  const holds = new HoldController(lesson, options.holds ?? { kind: "off" });
  let session = createSession(lesson);
  const run = new LessonRun(lesson, {
    ...prepared,
    ...options.check,
    holdsAtStart: holds.atStart(),
    onObservation: (obs: Observation) => {
      options.record?.observation(obs);
      if (obs.kind === "trace" && obs.event.ev === "held") holds.engaged(obs.event.id);
      session = reduceSession(session, { type: "observation", obs });
      show.update(session);
    },
    onFact: (fact) => {
      options.record?.fact(fact);
      show.fact?.(fact);
      holds.factCame(fact);
      const before = session.slots;
      session = reduceSession(session, { type: "fact", fact });
      // A beat whose fact came arms its holds, shown yet or not: the moment is kept until the learner gets there.
      session.slots.forEach((slot, i) => slot !== null && before[i] === null && holds.beatReached(i));
      show.update(session);
    },
    onProblem: (message) => {
      options.record?.problem(message);
      show.problem?.(message);
    },
  });
  holds.attach(run);
  const done = run.run().then((result) => {
    holds.releaseAll();
    return { result, session };
  });
  return { run, holds, done };
}
