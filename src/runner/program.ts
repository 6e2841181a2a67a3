// One lesson program: spawned under the tracer in its own process group,
// its stdio piped (never inherited), its trace channel read, and stopped
// with TERM then KILL on every way out.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import type { Observation } from "../observations.ts";
import type { ProgramSpec } from "../lessons/schema.ts";
import { LineSplitter, parseTraceLine, toRunClock } from "./channel.ts";
import { OutputTail } from "./output-tail.ts";

/** Python runs signal handlers only in its main thread, between bytecodes: give TERM this long. */
export const STOP_GRACE_MS = 700;
/** Output observations are batched: at most one per stream this often. */
export const OUTPUT_FLUSH_MS = 50;
/** After the process exits, wait this long for its pipes to close (a grandchild may hold them). */
const PIPE_CLOSE_WAIT_MS = 500;

/**
 * The tracer ships as a file: src/runner/tracer/ beside this module or,
 * bundled, dist/tracer/ (this code may sit in dist/ or in dist/chunks/).
 */
export function tracerPath(): string {
  const candidates = ["./tracer/tracer.py", "../tracer/tracer.py"].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url))
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`the tracer is missing: looked in ${candidates.join(", ")}`);
  return found;
}

export interface ProgramOptions {
  readonly python: string;
  readonly tracer: string;
  readonly cwd: string;
  readonly port: number;
  readonly now: () => number; // the run's clock, ms
  readonly observe: (obs: Observation) => void;
  readonly problem: (message: string) => void;
}

export class Program {
  readonly name: string;
  readonly pid: number;
  exited = false;
  readonly done: Promise<void>;
  private readonly child: ChildProcess;
  private stoppedBy: string | null = null;
  private offsetMs: number | null = null;

  constructor(spec: ProgramSpec, private readonly opts: ProgramOptions) {
    this.name = spec.name;
    this.child = spawn(opts.python, [opts.tracer, "--channel-fd", "3", "--", spec.file, String(opts.port)], {
      cwd: opts.cwd,
      detached: true, // its own process group, so a stop reaches anything it starts
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      env: { ...process.env, ...spec.env, PORT: String(opts.port), PYTHONDONTWRITEBYTECODE: "1" },
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
    if (this.pid > 0) opts.observe({ kind: "spawned", t: opts.now(), program: this.name, pid: this.pid });
    this.readChannel(this.child.stdio[3] as Readable);
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

  private readChannel(channel: Readable): void {
    const splitter = new LineSplitter();
    channel.setEncoding("utf8");
    channel.on("data", (chunk: string) => {
      for (const line of splitter.push(chunk)) this.onTraceLine(line);
    });
    channel.on("error", () => {}); // the exit event reports the end
  }

  private onTraceLine(line: string): void {
    let event;
    try {
      event = parseTraceLine(line);
    } catch (error) {
      this.opts.problem(`${this.name}: ${(error as Error).message}`);
      return;
    }
    if (event.ev === "hello") this.offsetMs = this.opts.now() - event.t / 1e6;
    const mapped = toRunClock(event, this.offsetMs ?? 0);
    this.opts.observe({
      kind: "trace",
      t: "t" in mapped ? mapped.t : this.opts.now(),
      program: this.name,
      event: mapped,
    });
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
      t: this.opts.now(),
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
      this.opts.observe({
        kind: "exited",
        t: this.opts.now(),
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

  /** TERM the group, then KILL it if it is still there after the grace period. */
  async stop(reason: string): Promise<void> {
    if (this.exited) return;
    this.stoppedBy ??= reason;
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
    if (!this.exited) this.killGroup("SIGKILL");
  }
}
