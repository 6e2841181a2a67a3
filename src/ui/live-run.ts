// The player's link to the engine: starts a lesson run (the same startLesson
// the --plain and --json reporters use), feeds its session into a batched
// store, and does what the learner's keys ask: stop, restart, pause output.
// It decides nothing about the lesson; every state it holds comes from the run.
import type { CliValues } from "../cli.ts";
import type { RunOutputs } from "../commands/run-outputs.ts";
import type { HoldController, HoldMode } from "../engine/holds.ts";
import { type Prepared, prepareRun } from "../engine/prepare.ts";
import { startLesson } from "../engine/start.ts";
import { formatMs } from "../report/format.ts";
import { type KnobSettings, withSettings } from "../lessons/knobs.ts";
import type { Lesson } from "../lessons/schema.ts";
import { onCleanup } from "../runner/cleanup.ts";
import { UserError } from "../runner/errors.ts";
import { checkPortFree, findFreePort } from "../runner/ports.ts";
import type { LessonRun } from "../runner/run-lesson.ts";
import type { ReplayLabel } from "../recording/label.ts";
import { createSession, type SessionState } from "../session/session.ts";
import type { RunSource } from "./run-source.ts";
import { BatchedStore } from "./store.ts";

/** Problems the runner reported (a program ignoring SIGTERM...): the newest few are kept. */
export const MAX_PROBLEMS_KEPT = 5;

export type LivePhase = "starting" | "running" | "stopping" | "over" | "failed";

export interface LiveSnapshot {
  readonly session: SessionState;
  readonly phase: LivePhase;
  /** The learner paused reading the programs' output (p). */
  readonly paused: boolean;
  readonly problems: readonly string[];
  readonly error: { readonly message: string; readonly hint: string | null } | null;
  /** 1 for the first run, +1 on each restart. */
  readonly attempt: number;
  /** Whether the programs wait at the lesson's holds (the learner's h turns them on and off). */
  readonly holds: HoldMode["kind"];
  /** Set when this is a replay of a recording (replay-run.ts): what every screen says it is. */
  readonly replay?: { readonly label: ReplayLabel; readonly notes: readonly string[] } | null;
}

export type Preparer = () => Promise<Prepared>;

/**
 * Prepares runs for the TUI: finds Python once, and a port for every run (a
 * restarted server must not trip over its predecessor's port).
 */
export function makePreparer(values: CliValues): Preparer {
  let first: Promise<Prepared> | null = null;
  return async () => {
    if (first === null) {
      first = prepareRun(values);
      first.catch(() => (first = null)); // a fixed problem (python installed) may work next time
      return first;
    }
    const base = await first;
    const port = values.port !== undefined ? await checkPortFree(Number(values.port)) : await findFreePort();
    return { ...base, port };
  };
}

export class LiveLesson implements RunSource {
  readonly store: BatchedStore<LiveSnapshot>;
  private run: LessonRun | null = null;
  private holdControl: HoldController | null = null;
  private done: Promise<unknown> = Promise.resolve();
  private attempt = 0;
  private disposed = false;
  private readonly removeCleanup: () => void;
  /** What the current run leaves behind (--record, --markdown), if anything was asked for. */
  private outputs: RunOutputs | null = null;

  constructor(
    private lesson: Lesson,
    private readonly prepare: Preparer,
    private holdMode: HoldMode,
    /** Each run's --record and --markdown files (src/commands/run-outputs.ts), of the lesson as it runs. */
    private readonly outputsFor: ((holds: HoldMode, lesson: Lesson) => RunOutputs) | null = null,
  ) {
    this.store = new BatchedStore<LiveSnapshot>(this.fresh(0));
    // On any way out, nothing may start after the cleanups ran (a run still
    // looking for Python would otherwise spawn programs nobody stops).
    this.removeCleanup = onCleanup(() => this.dispose("the app is quitting"));
  }

  private fresh(attempt: number): LiveSnapshot {
    return {
      session: createSession(this.lesson),
      phase: "starting",
      paused: false,
      problems: [],
      error: null,
      attempt,
      holds: this.holdMode.kind,
    };
  }

  /** Starts a run; resolves when it has started (or failed to). */
  async start(): Promise<void> {
    const attempt = ++this.attempt;
    this.store.update(this.fresh(attempt), true);
    let prepared: Prepared;
    try {
      // Let the frame that says "starting…" reach the screen first.
      await new Promise((resolve) => setImmediate(resolve));
      if (attempt !== this.attempt || this.disposed) return;
      prepared = await this.prepare();
    } catch (error) {
      if (attempt !== this.attempt) return;
      const hint = error instanceof UserError ? error.hint : null;
      this.store.update((s) => ({ ...s, phase: "failed", error: { message: (error as Error).message, hint } }), true);
      return;
    }
    // Quit or restarted while Python was being looked for: start nothing.
    if (attempt !== this.attempt || this.disposed) return;
    // Callbacks of a run that was replaced must not touch the new one's state.
    const current = () => attempt === this.attempt;
    let outputs: RunOutputs | null;
    try {
      outputs = this.outputsFor?.(this.holdMode, this.lesson) ?? null;
    } catch (error) {
      // The --record or --markdown file cannot be written (any more): said instead of running.
      const hint = error instanceof UserError ? error.hint : null;
      this.store.update((s) => ({ ...s, phase: "failed", error: { message: (error as Error).message, hint } }), true);
      return;
    }
    this.outputs = outputs;
    const started = startLesson(this.lesson, prepared, {
      update: (session) => {
        if (!current()) return;
        this.store.update((s) => ({ ...s, session }));
        if (session.ended !== null && outputs !== null) this.writeOutputs(outputs, session);
      },
      problem: (message) =>
        current() && this.store.update((s) => ({ ...s, problems: [...s.problems, message].slice(-MAX_PROBLEMS_KEPT) })),
    }, { holds: this.holdMode, record: outputs?.record });
    this.run = started.run;
    this.holdControl = started.holds;
    this.store.update((s) => ({ ...s, phase: "running" }), true);
    this.done = started.done.then(
      () => current() && this.store.update((s) => ({ ...s, phase: "over" }), true),
      (error: unknown) =>
        current() && this.store.update(
          (s) => ({
            ...s,
            phase: "failed",
            error: { message: String((error as Error)?.message ?? error), hint: null },
          }),
          true,
        ),
    );
  }

  /** The run has ended: its files are written, and the narration says so (or why they could not be). */
  private writeOutputs(outputs: RunOutputs, session: SessionState): void {
    let said: string[];
    try {
      said = outputs.ended(session);
    } catch (error) {
      said = [String((error as Error)?.message ?? error)];
    }
    if (said.length > 0) {
      this.store.update((s) => ({ ...s, problems: [...s.problems, ...said].slice(-MAX_PROBLEMS_KEPT) }), true);
    }
  }

  /** Something the learner did to the run that its recording should say (its observations do not). */
  private noteForRecording(what: string): void {
    const now = this.store.getSnapshot().session.now;
    this.outputs?.record?.note(`${what} at ${formatMs(now)}`);
  }

  /** Stops every program of the run; resolves when all are gone. */
  async stop(reason: string): Promise<void> {
    const run = this.run;
    if (run === null) return;
    this.store.update((s) => (s.phase === "running" ? { ...s, phase: "stopping" } : s), true);
    await run.stop(reason);
    await this.done;
  }

  async restart(): Promise<void> {
    await this.stop("restarted by the learner");
    this.run = null;
    await this.start();
  }

  canChangeKnobs(): boolean {
    return true;
  }

  /** The knob form's Enter: the lesson with these settings, run again from the start. */
  async restartWith(settings: KnobSettings): Promise<void> {
    await this.stop("restarted by the learner with other knobs");
    this.lesson = withSettings(this.lesson, settings);
    this.run = null;
    await this.start();
  }

  /** The learner moved past beat `index`: the programs its holds keep waiting go on. */
  passed(index: number): void {
    this.holdControl?.passed(index);
  }

  /** h: holds off (every held program goes on) or back on (from the next beat's fact). */
  toggleHolds(): void {
    if (this.holdMode.kind === "timed") return; // --hold's seconds: the command line decided
    this.holdMode = this.holdMode.kind === "off" ? { kind: "step" } : { kind: "off" };
    this.noteForRecording(`the learner turned holds ${this.holdMode.kind === "off" ? "off" : "on"}`);
    this.holdControl?.setMode(this.holdMode);
    this.store.update((s) => ({ ...s, holds: this.holdMode.kind }), true);
  }

  /** Real backpressure: the runner stops reading the programs' stdout. */
  setPaused(paused: boolean): void {
    this.run?.setOutputPaused(paused);
    this.noteForRecording(`the learner ${paused ? "paused" : "resumed"} reading the programs' output`);
    this.store.update((s) => ({ ...s, paused }), true);
  }

  /** Stops everything; the store stays readable but gets no more updates. */
  async dispose(reason: string): Promise<void> {
    this.removeCleanup();
    this.disposed = true;
    this.attempt++;
    await this.stop(reason);
    this.store.dispose();
  }
}
