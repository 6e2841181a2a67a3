// Plays a recording through the same engine a live run goes through: each
// recorded observation is taken in by the session, and the fact detector
// (src/facts/detect.ts) finds the facts again from the observations, exactly
// as the runner does live; the facts the recording also holds are not used.
// Nothing runs and this machine's kernel is never read: every state and
// number comes from the recording. The viewers (--plain, --json, the TUI)
// are the live run's, told the same things in the same order.
import { FactDetector } from "../facts/detect.ts";
import type { Lesson } from "../lessons/schema.ts";
import type { Recording, RecordingLine } from "../recording/format.ts";
import { RecordingError } from "../recording/format.ts";
import { createSession, reduceSession, type SessionState } from "../session/session.ts";
import type { SessionViewer } from "./start.ts";

/** In real time (the recorded run's own pace) or at once (for --plain, --json and handouts, when asked). */
export type ReplayPace = "real-time" | "instant";

/** Between two timer wakes of a real-time replay at most this long, so a stop is quick. */
const MAX_WAIT_MS = 250;

export interface ReplayedRun {
  /** Resolves once the whole recording has been played, or the replay was stopped. */
  readonly done: Promise<{ readonly session: SessionState; readonly complete: boolean }>;
  /** Stops playing (the TUI's q, a restart); the session keeps what was played. */
  stop(): void;
}

/**
 * Throws when the recording's observations are not of `lesson` (a recording
 * edited by hand, or of another lesson): they would feed lanes that do not exist.
 */
export function checkRecordingFits(recording: Recording, lesson: Lesson, where: string): void {
  const names = new Set(lesson.programs.map((p) => p.name));
  recording.lines.forEach((line, i) => {
    if (line.type !== "observation") return;
    const obs = line.obs;
    if ("program" in obs && !names.has(obs.program)) {
      throw new RecordingError(`${where}:${i + 2}: "${obs.program}" is not a program of the lesson it records`);
    }
    if (obs.kind === "run" && obs.lesson !== lesson.id) {
      throw new RecordingError(`${where}:${i + 2}: a run of "${obs.lesson}" in a recording of "${lesson.id}"`);
    }
  });
}

/** One recording, played line by line into one session. */
class ReplayCursor {
  private readonly detector = new FactDetector();
  private next = 0;
  session: SessionState;

  constructor(private readonly lines: readonly RecordingLine[], lesson: Lesson, private readonly show: SessionViewer) {
    this.session = createSession(lesson);
  }

  get finished(): boolean {
    return this.next >= this.lines.length;
  }

  /** When the next line was observed (ms of the recorded run); a line without a time goes with the one before it. */
  dueAt(): number {
    const line = this.lines[this.next];
    return line?.type === "observation" ? line.obs.t : Number.NEGATIVE_INFINITY;
  }

  /** Plays the next line as the live run took it in: the observation, then the facts found in it. */
  step(): void {
    const line = this.lines[this.next++]!;
    if (line.type === "problem") this.show.problem?.(line.message);
    if (line.type !== "observation") return;
    this.session = reduceSession(this.session, { type: "observation", obs: line.obs });
    this.show.update(this.session);
    for (const fact of this.detector.push(line.obs)) {
      this.show.fact?.(fact);
      this.session = reduceSession(this.session, { type: "fact", fact });
      this.show.update(this.session);
    }
  }
}

export function startReplay(
  recording: Recording,
  lesson: Lesson,
  show: SessionViewer,
  pace: ReplayPace,
  clock: () => number = () => performance.now(),
): ReplayedRun {
  const cursor = new ReplayCursor(recording.lines, lesson, show);
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let finish!: (complete: boolean) => void;
  const done = new Promise<{ session: SessionState; complete: boolean }>((resolve) => {
    finish = (complete) => resolve({ session: cursor.session, complete });
  });
  const startedAt = clock();
  const pump = () => {
    timer = null;
    if (stopped) return;
    const elapsed = clock() - startedAt;
    while (!cursor.finished && (pace === "instant" || cursor.dueAt() <= elapsed)) cursor.step();
    if (cursor.finished) return finish(true);
    timer = setTimeout(pump, Math.min(MAX_WAIT_MS, Math.max(0, cursor.dueAt() - (clock() - startedAt))));
  };
  pump();
  return {
    done,
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      finish(cursor.finished);
    },
  };
}
