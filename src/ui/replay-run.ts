// A recorded run in the player (socket-lessons replay FILE, or the menu's
// "watch a recorded Linux run"): the recording played through the fact
// engine again (src/engine/replay.ts), in real time unless --instant, into
// the same store a live run feeds. Nothing runs, so what acts on programs
// (holds, pausing their output) cannot apply: those keys say so instead.
import type { KnobSettings } from "../lessons/knobs.ts";
import { type ReplayedRun, type ReplayPace, startReplay } from "../engine/replay.ts";
import type { Lesson } from "../lessons/schema.ts";
import type { Recording } from "../recording/format.ts";
import { type ReplayLabel, replayLabel } from "../recording/label.ts";
import { createSession } from "../session/session.ts";
import type { LiveSnapshot } from "./live-run.ts";
import { MAX_PROBLEMS_KEPT } from "./live-run.ts";
import type { RunSource } from "./run-source.ts";
import { BatchedStore } from "./store.ts";

export const REPLAY_HOLDS_NOTE = "A replay holds nothing (h): nothing runs. The recorded programs waited at holds, " +
  "or not, when the run was recorded; the lanes show them as they were.";
export const REPLAY_KNOBS_NOTE = "A replay cannot change the lesson's knobs (s): it shows the run as it was " +
  "recorded, with the settings in its header. Run the lesson to try others.";
export const REPLAY_PAUSE_NOTE = "A replay cannot pause the programs' output (p): nothing runs. Step back (b) " +
  "to see any moment as it was recorded.";

export class ReplayLesson implements RunSource {
  readonly store: BatchedStore<LiveSnapshot>;
  readonly label: ReplayLabel;
  private playing: ReplayedRun | null = null;
  private attempt = 0;
  private disposed = false;

  constructor(
    private readonly recording: Recording,
    private readonly lesson: Lesson,
    private readonly pace: ReplayPace = "real-time",
  ) {
    this.label = replayLabel(recording.header);
    this.store = new BatchedStore<LiveSnapshot>(this.fresh(0));
  }

  private fresh(attempt: number): LiveSnapshot {
    return {
      session: createSession(this.lesson),
      phase: "starting",
      paused: false,
      problems: [],
      error: null,
      attempt,
      holds: "off",
      replay: { label: this.label, notes: this.recording.header.notes },
    };
  }

  start(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const attempt = ++this.attempt;
    this.store.update(this.fresh(attempt), true);
    const current = () => attempt === this.attempt && !this.disposed;
    this.playing = startReplay(this.recording, this.lesson, {
      update: (session) => current() && this.store.update((s) => ({ ...s, session })),
      problem: (message) => current() && this.note(message),
    }, this.pace);
    this.store.update((s) => ({ ...s, phase: "running" }), true);
    void this.playing.done.then(() => current() && this.store.update((s) => ({ ...s, phase: "over" }), true));
    return Promise.resolve();
  }

  restart(): Promise<void> {
    this.playing?.stop();
    return this.start();
  }

  passed(_index: number): void {}

  toggleHolds(): void {
    this.note(REPLAY_HOLDS_NOTE);
  }

  setPaused(_paused: boolean): void {
    this.note(REPLAY_PAUSE_NOTE);
  }

  canChangeKnobs(): boolean {
    this.note(REPLAY_KNOBS_NOTE);
    return false;
  }

  restartWith(_settings: KnobSettings): Promise<void> {
    this.note(REPLAY_KNOBS_NOTE);
    return Promise.resolve();
  }

  private note(message: string): void {
    this.store.update((s) => ({ ...s, problems: [...s.problems, message].slice(-MAX_PROBLEMS_KEPT) }), true);
  }

  dispose(_reason: string): Promise<void> {
    this.disposed = true;
    this.attempt++;
    this.playing?.stop();
    this.store.dispose();
    return Promise.resolve();
  }
}
