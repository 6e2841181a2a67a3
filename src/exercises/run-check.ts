// One check of an exercise: the learner's file runs in place of the program
// the exercise names, against the other programs, under the tracer; the
// run's facts are then judged. The shell around judge.ts (pure).
import type { Prepared } from "../engine/prepare.ts";
import { type StartedLesson, startLesson } from "../engine/start.ts";
import type { Fact } from "../facts/types.ts";
import type { Exercise, Lesson } from "../lessons/schema.ts";
import type { RunResult } from "../runner/run-lesson.ts";
import { capabilities, type SessionState } from "../session/session.ts";
import { countedCalls } from "./counted-calls.ts";
import { judge, type Verdict } from "./judge.ts";
import type { LearnerFile } from "./learner-file.ts";
import { type LastCall, type Outcome, outcomeOf } from "./outcome.ts";

/**
 * Once the learner's program has exited, the others get this long to end by
 * themselves (a server printing the last MiB it was sent takes ~50 ms here)
 * before they are stopped: a client that never connected leaves its server
 * in accept() for ever, and the verdict should not wait for the time limit.
 */
export const LEARNER_GRACE_MS = 3000;

export interface CheckDone {
  readonly verdict: Verdict;
  readonly outcome: Outcome;
  readonly result: RunResult;
  readonly session: SessionState;
}

export interface CheckRun {
  readonly started: StartedLesson;
  readonly done: Promise<CheckDone>;
}

export interface CheckViewer {
  update?(s: SessionState): void;
  fact?(f: Fact): void;
  problem?(m: string): void;
}

/** The lesson as the check runs it: the exercise's programs and end, no narration. */
export function checkLesson(lesson: Lesson, exercise: Exercise): Lesson {
  return { ...lesson, programs: exercise.programs, endsWhen: exercise.endsWhen, beats: [], recap: [], exercises: [] };
}

export function startCheck(
  lesson: Lesson,
  exercise: Exercise,
  file: LearnerFile,
  prepared: Prepared,
  viewer: CheckViewer = {},
): CheckRun {
  let lastCall: LastCall | null = null;
  const started = startLesson(checkLesson(lesson, exercise), prepared, {
    update: (s) => {
      const lane = s.lanes.find((l) => l.name === exercise.program);
      if (lane?.status === "running") {
        lastCall = lane.call ? { call: lane.call.call, line: lane.call.line, ms: s.now - lane.call.since } : null;
      }
      viewer.update?.(s);
    },
    fact: (f) => viewer.fact?.(f),
    problem: (m) => viewer.problem?.(m),
  }, {
    check: {
      learner: { program: exercise.program, file, graceMs: LEARNER_GRACE_MS },
      countCalls: countedCalls(exercise),
      timeoutMs: exercise.timeoutMs,
    },
  });
  const done = started.done.then(({ result, session }) => {
    const verdict = judge(exercise, result.facts, capabilities(session));
    const outcome = outcomeOf({
      program: exercise.program,
      facts: result.facts,
      endReason: result.endReason,
      timeoutMs: exercise.timeoutMs,
      timedOut: result.endReason.startsWith("timed out"),
      lastCall,
    });
    return { verdict, outcome, result, session };
  });
  return { started, done };
}
