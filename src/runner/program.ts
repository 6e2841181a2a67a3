// One lesson program: spawned under the tracer in its own process group,
// its stdio piped (never inherited), its trace channel read, and stopped
// with TERM then KILL on every way out.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { StringDecoder } from "node:string_decoder";
import type { Duplex, Readable } from "node:stream";
import type { Observation } from "../observations.ts";
import type { ProgramSpec } from "../lessons/schema.ts";
import { LineSplitter, parseTraceLine, toRunClock } from "../trace/channel.ts";
import { clockMapping } from "../trace/clock.ts";
import type { HoldRequest, TraceEvent } from "../trace/events.ts";
import { Descendants, PROGRAM_MARKER } from "./descendants.ts";
import { OutputTail } from "./output-tail.ts";

/** Python runs signal handlers only in its main thread, between bytecodes: give TERM this long. */
export const STOP_GRACE_MS = 700;
/** Output observations are batched: at most one per stream this often. */
export const OUTPUT_FLUSH_MS = 50;
/** After the process exits, wait this long for its pipes to close (a grandchild may hold them). */
const PIPE_CLOSE_WAIT_MS = 500;

export interface TracerFiles {
  readonly script: string;
  /** The registry of traced calls the tracer wraps. */
  readonly calls: string;
}

/**
 * The tracer ships as files: src/runner/tracer/ beside this module (with the
 * registry in src/trace/) or, bundled, dist/tracer/ with both (this code may
 * sit in dist/ or in dist/chunks/).
 */
export function tracerFiles(): TracerFiles {
  const found = (rels: string[]): string | undefined =>
    rels.map((rel) => fileURLToPath(new URL(rel, import.meta.url))).find((path) => existsSync(path));
  const script = found(["./tracer/tracer.py", "../tracer/tracer.py"]);
  if (!script) throw new Error(`the tracer is missing beside ${fileURLToPath(import.meta.url)}`);
  const beside = join(dirname(script), "calls.json");
  const calls = existsSync(beside) ? beside : found(["../trace/calls.json"]);
  if (!calls) throw new Error(`the registry of traced calls (calls.json) is missing beside ${script}`);
  return { script, calls };
}

/** The run's clock: ms since it began, and the monotonic ns it began at (to map the tracer's times). */
export interface RunClock {
  readonly now: () => number;
  readonly startNs: number;
}

export interface ProgramOptions {
  readonly python: string;
  readonly tracer: TracerFiles;
  readonly cwd: string;
  readonly port: number;
  /** The lesson's knobs: variables to set, and the other knobs' variables, removed (lessons/knobs.ts). */
  readonly knobEnv?: { readonly set: Readonly<Record<string, string>>; readonly unset: readonly string[] };
  readonly clock: RunClock;
  /** How often the tracer samples the program's sockets: the run's one sampling rate. */
  readonly sampleMs: number;
  /** Holds at a given call (nth), armed before the program runs. */
  readonly holds: readonly HoldRequest[];
  /** Calls whose every call, hot lines too, the tracer takes the kernel's counts of (an exercise judges them). */
  readonly countCalls?: readonly string[];
  readonly observe: (obs: Observation) => void;
  readonly problem: (message: string) => void;
}

/** The program's environment: the app's, the lesson's `env:`, the knobs set (the others removed), the port. */
function programEnv(spec: ProgramSpec, opts: ProgramOptions, token: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
  for (const name of opts.knobEnv?.unset ?? []) delete env[name];
  return {
    ...env,
    ...opts.knobEnv?.set,
    PORT: String(opts.port),
    PYTHONDONTWRITEBYTECODE: "1",
    [PROGRAM_MARKER]: token,
  };
}

export class Program {
  readonly name: string;
  readonly pid: number;
  exited = false;
  readonly done: Promise<void>;
  private readonly child: ChildProcess;
  private stoppedBy: string | null = null;
  /** run ms = tracer ns / 1e6 + offsetMs; provisional (from hello's arrival) until the handshake settles it. */
  private offsetMs: number | null = null;
  private startSentMs = 0;
  private channel: Duplex | null = null;
  /** What it starts, recorded while it runs: stopped with it, even outside its process group. */
  private readonly descendants = new Descendants(randomUUID());

  constructor(spec: ProgramSpec, private readonly opts: ProgramOptions) {
    this.name = spec.name;
    const tracerArgs = [opts.tracer.script, "--channel-fd", "3", "--calls", opts.tracer.calls, "--"];
    this.child = spawn(opts.python, [...tracerArgs, spec.file, String(opts.port)], {
      cwd: opts.cwd,
      detached: true, // its own process group, so a stop reaches anything it starts
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      env: programEnv(spec, opts, this.descendants.token),
    });
    if (this.child.pid === undefined) {
      // spawn failed synchronously (e.g. python vanished): the error event follows
      this.pid = -1;
    } else {
      this.pid = this.child.pid;
    }
    this.done = new Promise((resolve) => this.watchExit(resolve));
    // The last way out: an exit that skips the cleanups (process.exit from
    // a bug) still takes the program's group down, synchronously.
    const killOnExit = () => this.killNow();
    process.on("exit", killOnExit);
    void this.done.then(() => process.off("exit", killOnExit));
    if (this.pid > 0) opts.observe({ kind: "spawned", t: opts.clock.now(), program: this.name, pid: this.pid });
    this.readChannel(this.child.stdio[3] as Duplex);
    this.readOutput(this.child.stdout!, "stdout");
    this.readOutput(this.child.stderr!, "stderr");
  }

  private tails = { stdout: new OutputTail(), stderr: new OutputTail() };
  private flushTimers: { [k in "stdout" | "stderr"]?: ReturnType<typeof setTimeout> } = {};

  /** Real backpressure: stop reading stdout, so the program blocks writing to it. */
  pauseOutput(): void {
    this.child.stdout?.pause();
  }

  resumeOutput(): void {
    this.child.stdout?.resume();
  }

  /** Bytes read from its stdout so far, this instant (observations lag by up to OUTPUT_FLUSH_MS). */
  stdoutBytes(): number {
    return this.tails.stdout.bytes;
  }

  /** Asks the tracer to hold the program at its next such call (or the nth): it really waits there. */
  hold(request: HoldRequest): void {
    this.command({ cmd: "hold", ...request });
  }

  /** Lets a held program go on (or drops a hold it has not reached yet). */
  release(id: number): void {
    this.command({ cmd: "release", id });
  }

  private command(command: Record<string, unknown>): void {
    if (this.exited || this.channel === null || this.channel.destroyed) return;
    this.channel.write(`${JSON.stringify(command)}\n`);
  }

  private readChannel(channel: Duplex): void {
    this.channel = channel;
    const splitter = new LineSplitter();
    channel.setEncoding("utf8");
    channel.on("data", (chunk: string) => {
      for (const line of splitter.push(chunk)) this.onTraceLine(line, channel);
    });
    channel.on("error", () => {}); // the exit event reports the end
  }

  private onTraceLine(line: string, channel: Duplex): void {
    let event: TraceEvent;
    try {
      event = parseTraceLine(line);
    } catch (error) {
      this.opts.problem(`${this.name}: ${(error as Error).message}`);
      return;
    }
    const now = this.opts.clock.now();
    if (event.ev === "hello") {
      this.offsetMs = now - event.t / 1e6;
      // The tracer waits for this before the program runs; its answer (ready)
      // tells how its clock and ours relate.
      this.startSentMs = this.opts.clock.now();
      const start = {
        cmd: "start",
        sample_ms: this.opts.sampleMs,
        holds: this.opts.holds,
        count: this.opts.countCalls ?? [],
      };
      channel.write(`${JSON.stringify(start)}\n`);
    } else if (event.ev === "ready") {
      this.offsetMs = clockMapping({
        runStartNs: this.opts.clock.startNs,
        sentMs: this.startSentMs,
        readyNs: event.t,
        receivedMs: now,
      }).offsetMs;
    }
    if (event.ev === "exit" && event.left > 0) this.saidLeft(event.left, "when it exited");
    const mapped = toRunClock(event, this.offsetMs ?? 0);
    this.opts.observe({ kind: "trace", t: "t" in mapped ? mapped.t : now, program: this.name, event: mapped });
  }

  private readOutput(stream: Readable, which: "stdout" | "stderr"): void {
    const decoder = new StringDecoder("utf8");
    const tail = this.tails[which];
    stream.on("data", (chunk: Buffer) => {
      tail.push(decoder.write(chunk), chunk.length);
      this.flushTimers[which] ??= setTimeout(() => this.flushOutput(which), OUTPUT_FLUSH_MS);
    });
    stream.on("error", () => {});
  }

  private flushOutput(which: "stdout" | "stderr"): void {
    clearTimeout(this.flushTimers[which]);
    delete this.flushTimers[which];
    const tail = this.tails[which];
    if (tail.bytes === 0) return;
    this.opts.observe({
      kind: "output",
      t: this.opts.clock.now(),
      program: this.name,
      stream: which,
      bytes: tail.bytes,
      tail: tail.tail(this.exited),
    });
  }

  private watchExit(resolve: () => void): void {
    let exitInfo: { code: number | null; signal: string | null } | null = null;
    const finish = () => {
      if (this.exited || !exitInfo) return;
      this.exited = true;
      this.flushOutput("stdout");
      this.flushOutput("stderr");
      this.killGroup("SIGKILL"); // anything the program started goes with it
      this.killDescendants(this.stoppedBy === null ? "after it ended" : "after it was stopped");
      this.opts.observe({
        kind: "exited",
        t: this.opts.clock.now(),
        program: this.name,
        pid: this.pid,
        code: exitInfo.code,
        signal: exitInfo.signal,
        stoppedBy: this.stoppedBy,
      });
      for (const s of [this.child.stdout, this.child.stderr, this.child.stdio[3]]) (s as Readable | null)?.destroy();
      resolve();
    };
    this.child.on("error", (error) => {
      this.opts.problem(`${this.name}: could not start: ${error.message}`);
      exitInfo ??= { code: null, signal: null };
      finish();
    });
    this.child.on("exit", (code, signal) => {
      exitInfo = { code, signal };
      setTimeout(finish, PIPE_CLOSE_WAIT_MS).unref();
    });
    this.child.on("close", finish);
  }

  private killGroup(signal: NodeJS.Signals): void {
    if (this.pid <= 0) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already empty
    }
  }

  /** Records what the program has started so far (the run calls this with each kernel sample). */
  recordDescendants(): void {
    if (!this.exited && this.pid > 0) this.descendants.record(this.pid);
  }

  private killDescendants(when: string): void {
    const killed = this.descendants.killAll();
    if (killed > 0) this.saidLeft(killed, when);
  }

  private saidLeft(count: number, when: string): void {
    const what = count === 1 ? "1 process" : `${count} processes`;
    this.opts.problem(`${this.name} left ${what} it had started running ${when}: stopped (SIGKILL)`);
  }

  /** TERM the group, then KILL it if it is still there after the grace period. */
  async stop(reason: string): Promise<void> {
    if (this.exited) return;
    this.stoppedBy ??= reason;
    this.recordDescendants(); // the tree as it is right before the program goes (then its orphans go to init)
    this.child.stdout?.resume(); // a paused reader must not keep it blocked in write()
    this.killGroup("SIGTERM");
    const graceOver = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), STOP_GRACE_MS).unref());
    if ((await Promise.race([this.done, graceOver])) === "late") {
      this.opts.problem(`${this.name} (pid ${this.pid}) ignored SIGTERM for ${STOP_GRACE_MS} ms: sent SIGKILL`);
      this.killGroup("SIGKILL");
      await this.done;
    }
  }

  /** Last resort on a synchronous exit path (process 'exit'): no waiting possible. */
  killNow(): void {
    if (this.exited) return;
    this.recordDescendants();
    this.killGroup("SIGKILL");
    this.descendants.killAll();
  }
}
