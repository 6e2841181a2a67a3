// Runs one lesson: starts its programs in order (each on the fact the lesson
// names), samples the kernel while they run, feeds every observation through
// the fact detector, and ends with every program gone.
import type { Fact } from "../facts/types.ts";
import { FactDetector } from "../facts/detect.ts";
import { selects } from "../facts/select.ts";
import type { Lesson, ProgramSpec } from "../lessons/schema.ts";
import type { Observation } from "../observations.ts";
import type { Probe } from "../probe/types.ts";
import { onCleanup } from "./cleanup.ts";
import { LESSON_HOST } from "./ports.ts";
import type { HoldRequest } from "../trace/events.ts";
import type { LearnerFile } from "../exercises/learner-file.ts";
import { Program, type RunClock, type TracerFiles } from "./program.ts";
import { knobEnvironment } from "../lessons/knobs.ts";

/** How often the kernel probe samples each program, and the tracer its sockets: 50 a second. */
export const SAMPLE_INTERVAL_MS = 20;
/** A lesson that has not ended by itself after this long is stopped, and says so. */
export const LESSON_TIMEOUT_MS = 120_000;
/** What a program stopped at the lesson's end says (lessons may name it: where: { stopped_by: lesson over }). */
export const LESSON_OVER = "lesson over";
/** What the others say when an exercise's check stopped them after the learner's program had exited. */
export const CHECK_OVER = "check over";
/**
 * How often the processes each program started are recorded (a /proc walk,
 * ~0.3 ms a program here): for one that dies abruptly, when its orphans are
 * no longer below it. Stopping a program records them right before, and the
 * tracer, their subreaper, keeps them in its tree while it lives.
 */
export const DESCENDANTS_CHECK_MS = 250;
/** How often the timeout looks at the clock (it counts only time no program is held). */
const TIMEOUT_CHECK_MS = 250;
/** After the lesson's last fact, programs get this long to end by themselves. */
export const END_SETTLE_MS = 300;

export interface RunOptions {
  readonly python: string;
  readonly tracer: TracerFiles;
  readonly port: number;
  readonly probe: Probe;
  /** Not counting the time a program was held. */
  readonly timeoutMs?: number;
  /** Holds at a given call (nth) of each program, armed before it runs. */
  readonly holdsAtStart?: ReadonlyMap<string, readonly HoldRequest[]>;
  /**
   * An exercise's check: the learner's own file runs in place of this
   * program (from its own folder), and once it has exited the others get
   * `graceMs` to end by themselves before they are stopped.
   */
  readonly learner?: { readonly program: string; readonly file: LearnerFile; readonly graceMs: number };
  /** Per program, calls whose every call the tracer takes the kernel's counts of (what an exercise judges). */
  readonly countCalls?: ReadonlyMap<string, readonly string[]>;
  readonly onObservation?: (obs: Observation) => void;
  readonly onFact?: (fact: Fact) => void;
  readonly onProblem?: (message: string) => void;
}

export interface RunResult {
  readonly facts: readonly Fact[];
  readonly endReason: string;
  readonly problems: readonly string[];
  /** A program's bind() of the lesson's port failed because a program outside the lesson holds it. */
  readonly portTaken: boolean;
}

export class LessonRun {
  private readonly programs = new Map<string, Program>();
  private readonly pending: ProgramSpec[];
  private readonly detector = new FactDetector();
  private readonly facts: Fact[] = [];
  private readonly problems: string[] = [];
  /**
   * process.hrtime is CLOCK_MONOTONIC under Node on Linux, the clock the
   * tracer reads too, so its times convert exactly (src/trace/clock.ts).
   */
  private readonly startedAt = process.hrtime.bigint();
  private endReason: string | null = null;
  private sampler: ReturnType<typeof setInterval> | null = null;
  private finish!: () => void;
  private readonly finished = new Promise<void>((resolve) => (this.finish = resolve));
  private outputPaused = false;
  private endingSoon = false;
  private ended = false;
  /** Programs waiting at a hold now (held time does not count towards the lesson's timeout). */
  private readonly held = new Set<string>();
  private activeMs = 0;
  /** Each program's bind() calls by nth: the address asked for, and whether one of them got the lesson's port. */
  private readonly binds = new Map<string, string | null>();
  private portBoundByLesson = false;
  private portTaken = false;
  /** Facts so far that matched ends_when (for its nth). */
  private endMatches = 0;

  constructor(private readonly lesson: Lesson, private readonly opts: RunOptions) {
    this.pending = [...lesson.programs];
  }

  /** Milliseconds since the run began: the clock of every observation and fact. */
  readonly now = (): number => Number(process.hrtime.bigint() - this.startedAt) / 1e6;
  private readonly clock: RunClock = { now: this.now, startNs: Number(this.startedAt) };

  async run(): Promise<RunResult> {
    const removeCleanup = onCleanup(() => this.stop("the app is quitting"));
    this.observe({
      kind: "run",
      t: 0,
      lesson: this.lesson.id,
      port: this.opts.port,
      probe: this.opts.probe.capabilities,
      sampleMs: SAMPLE_INTERVAL_MS,
    });
    const timeoutMs = this.opts.timeoutMs ?? LESSON_TIMEOUT_MS;
    let last = this.now();
    const timeout = setInterval(() => {
      const now = this.now();
      if (this.held.size === 0) this.activeMs += now - last;
      last = now;
      if (this.activeMs >= timeoutMs && this.endReason === null) {
        void this.stop(`timed out after ${Math.round(timeoutMs / 1000)} s`);
      }
    }, TIMEOUT_CHECK_MS);
    this.sampler = setInterval(() => this.sampleKernel(), SAMPLE_INTERVAL_MS);
    const descendants = setInterval(() => {
      for (const program of this.programs.values()) program.recordDescendants();
    }, DESCENDANTS_CHECK_MS);
    this.startReady(null);
    await this.finished;
    clearInterval(timeout);
    clearInterval(this.sampler);
    clearInterval(descendants);
    removeCleanup();
    return {
      facts: this.facts,
      endReason: this.endReason ?? "every program exited",
      problems: this.problems,
      portTaken: this.portTaken,
    };
  }

  /**
   * Stops every program (TERM, then KILL after a grace period); resolves when all are gone.
   * `reason` ends the run's story; `stoppedBy` is what each stopped program's exit says.
   */
  async stop(reason: string, stoppedBy = reason): Promise<void> {
    this.endReason ??= reason;
    this.pending.length = 0;
    await Promise.all([...this.programs.values()].map((p) => p.stop(stoppedBy)));
    this.checkEnd();
    await this.finished;
  }

  /** Stop or resume reading the programs' stdout: the learner's "p" key. */
  setOutputPaused(paused: boolean): void {
    this.outputPaused = paused;
    for (const p of this.programs.values()) paused ? p.pauseOutput() : p.resumeOutput();
  }

  /** Holds `program` at its next such call (or the nth): the program really waits there until released. */
  hold(program: string, request: HoldRequest): void {
    this.programs.get(program)?.hold(request);
  }

  release(program: string, id: number): void {
    this.programs.get(program)?.release(id);
  }

  /** Bytes the app has read from a program's stdout so far; 0 before it starts. */
  stdoutBytes(program: string): number {
    return this.programs.get(program)?.stdoutBytes() ?? 0;
  }

  private observe(obs: Observation): void {
    if (obs.kind === "trace" && obs.event.ev === "held") this.held.add(obs.program);
    if ((obs.kind === "trace" && obs.event.ev === "released") || obs.kind === "exited") this.held.delete(obs.program);
    this.opts.onObservation?.(obs);
    for (const fact of this.detector.push(obs)) {
      this.facts.push(fact);
      this.watchPort(fact);
      this.opts.onFact?.(fact);
      this.startReady(fact);
      if (this.endsWith(fact)) this.endSoon();
    }
    if (obs.kind === "exited") {
      if (obs.program === this.opts.learner?.program) this.afterLearner();
      this.checkEnd();
    }
  }

  /**
   * The learner's program has exited: the others (a server still draining
   * what it was sent) get a moment to end by themselves; a server still in
   * accept() because the learner's client never connected is stopped then,
   * so a check tells its verdict in seconds, not at its time limit.
   */
  private afterLearner(): void {
    const graceMs = this.opts.learner!.graceMs;
    const timer = setTimeout(() => {
      if (this.endReason !== null) return;
      void this.stop(
        `${this.opts.learner!.program} had exited; what still ran ${graceMs} ms later was stopped`,
        CHECK_OVER,
      );
    }, graceMs);
    void this.finished.then(() => clearTimeout(timer));
  }

  /** The fact the lesson ends on (its nth: the call's ordinal, or the nth match). */
  private endsWith(fact: Fact): boolean {
    const ends = this.lesson.endsWhen;
    if (ends === "all-exited" || !selects(ends, fact)) return false;
    if (typeof ends.nth !== "number") return true;
    if (typeof fact.values.nth === "number" && typeof fact.values.call === "string") {
      return fact.values.nth === ends.nth;
    }
    return ++this.endMatches === ends.nth;
  }

  /**
   * The lesson's port taken by a program outside the lesson between the
   * check and the server's bind() (two copies with the same --port): the run
   * cannot show what it is about, so it stops and says why. A lesson program
   * binding the port a second time itself (a lesson about EADDRINUSE) is the
   * lesson's own story and goes on.
   */
  private watchPort(fact: Fact): void {
    const v = fact.values;
    const key = `${v.program}#${v.nth}`;
    const lessonPort = `${LESSON_HOST}:${this.opts.port}`;
    if (fact.fact === "bind.called") this.binds.set(key, typeof v.addr === "string" ? v.addr : null);
    if (fact.fact === "bind.returned" && this.binds.get(key) === lessonPort) this.portBoundByLesson = true;
    if (
      fact.fact === "bind.raised" && v.errno === "EADDRINUSE" && this.binds.get(key) === lessonPort &&
      !this.portBoundByLesson && !this.portTaken
    ) {
      this.portTaken = true;
      void this.stop(
        `port ${this.opts.port} on ${LESSON_HOST} was taken by another program before ${v.program} ` +
          `could bind it`,
      );
    }
  }

  /**
   * The lesson's last fact arrived: programs about to finish by themselves
   * (the stopper printing and exiting after its close()) get a moment to do
   * so; whatever still runs after that is stopped and says so.
   */
  private endSoon(): void {
    if (this.endingSoon) return;
    this.endingSoon = true;
    this.pending.length = 0;
    setTimeout(
      () => void this.stop("its last fact came, and the programs still running were stopped", LESSON_OVER),
      END_SETTLE_MS,
    );
  }

  private startReady(fact: Fact | null): void {
    while (this.pending.length > 0 && this.endReason === null) {
      const next = this.pending[0]!;
      const ready = next.start === "at-once" ||
        (fact !== null && fact.fact === next.start.fact &&
          (next.start.program === undefined || fact.values.program === next.start.program));
      if (!ready) return;
      this.pending.shift();
      this.spawn(next);
    }
  }

  private spawn(spec: ProgramSpec): void {
    // The one place a file from outside the lesson folder is run: the learner's, by their own naming.
    const learner = this.opts.learner?.program === spec.name ? this.opts.learner.file : null;
    const program = new Program(learner ? { ...spec, file: learner.path } : spec, {
      python: this.opts.python,
      tracer: this.opts.tracer,
      cwd: learner ? learner.dir : this.lesson.dir,
      countCalls: this.opts.countCalls?.get(spec.name) ?? [],
      port: this.opts.port,
      knobEnv: knobEnvironment(this.lesson),
      clock: this.clock,
      sampleMs: SAMPLE_INTERVAL_MS,
      holds: this.opts.holdsAtStart?.get(spec.name) ?? [],
      observe: (obs) => this.observe(obs),
      problem: (message) => this.problem(message),
    });
    this.programs.set(spec.name, program);
    if (this.outputPaused) program.pauseOutput();
  }

  private problem(message: string): void {
    this.problems.push(message);
    this.opts.onProblem?.(message);
  }

  private sampleKernel(): void {
    if (!this.opts.probe.capabilities.proc) return; // nothing to read: no made-up samples
    for (const program of this.programs.values()) {
      if (program.exited || program.pid <= 0) continue;
      const sample = this.opts.probe.sample(program.pid);
      if (sample === "gone" || sample.state === "Z") continue; // the exit event tells the rest
      this.observe({ kind: "proc", t: this.now(), program: program.name, sample });
    }
  }

  private checkEnd(): void {
    if (this.ended) return;
    const alive = [...this.programs.values()].some((p) => !p.exited);
    if (alive) return;
    // Nothing runs, so no fact can arrive to start a program still waiting.
    if (this.pending.length > 0) {
      this.endReason ??= `${this.pending.map((p) => p.name).join(", ")} never started: ` +
        `${this.pending.map((p) => (p.start === "at-once" ? "at once" : p.start.fact)).join(", ")} did not happen`;
      this.pending.length = 0;
    }
    if (this.endReason === null) this.endReason = "every program exited";
    this.ended = true;
    this.observe({ kind: "stopped", t: this.now(), reason: this.endReason });
    this.finish();
  }
}
