// Every process a lesson program starts, wherever it went. Stopping the
// program's process group misses a child that called setsid(), a
// double-forked daemon or a Popen(start_new_session=True). Three ways find
// them, each covering what the others cannot:
//
// - the tracer is the program's child subreaper, so while the program lives
//   every orphan below it stays in its tree (/proc/PID/task/TID/children),
//   and the app records that tree each time it samples the kernel and once
//   more right before it stops the program;
// - a marker in the environment every descendant inherits
//   (SOCKET_LESSONS_PROGRAM=<token>), looked for in /proc/*/environ when the
//   program ends: it finds one that left the tree between two samples,
//   unless it cleared its environment;
// - the tracer itself stops its descendants when the program exits or the
//   app goes away (tracer.py, _stop_descendants).
//
// A recorded process is killed only while /proc shows the same start time:
// a pid the kernel has since given to an unrelated process is left alone.
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { isProcessGone, readProcStartTime } from "../probe/linux.ts";

/** The environment variable every process of one program inherits. */
export const PROGRAM_MARKER = "SOCKET_LESSONS_PROGRAM";

export interface ProcessId {
  readonly pid: number;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22). */
  readonly start: number;
}

// procfs reads cost ~80 us each through open/read/close and ~200 us through
// readFileSync (which stats first); a sweep reads one file per process.
const chunk = Buffer.alloc(64 * 1024);

/** A /proc file's bytes (throws when it cannot be opened). */
function readProcFile(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const parts: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      parts.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(parts);
  } finally {
    closeSync(fd);
  }
}

/** Children of every thread of `pid` (a thread that forks is the parent). */
export function childrenOf(pid: number, root = "/proc"): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`${root}/${pid}/task`);
  } catch {
    return [];
  }
  const kids: number[] = [];
  for (const tid of tasks) {
    try {
      for (const k of readProcFile(`${root}/${pid}/task/${tid}/children`).toString("latin1").split(" ")) {
        if (k.trim() !== "") kids.push(Number(k));
      }
    } catch {
      // the thread ended while we looked
    }
  }
  return kids;
}

/** Every process below `pid` now, with its start time. */
export function descendantsOf(pid: number, root = "/proc"): ProcessId[] {
  const found: ProcessId[] = [];
  const seen = new Set<number>([pid]);
  const frontier = [pid];
  while (frontier.length > 0) {
    for (const kid of childrenOf(frontier.pop()!, root)) {
      if (seen.has(kid)) continue;
      seen.add(kid);
      const start = safeStartTime(kid, root);
      if (start === null) continue;
      found.push({ pid: kid, start });
      frontier.push(kid);
    }
  }
  return found;
}

/** Processes whose environment carries `marker=token` (only the user's own are readable). */
export function processesMarked(token: string, root = "/proc"): ProcessId[] {
  const needle = Buffer.from(`\0${PROGRAM_MARKER}=${token}\0`);
  const first = Buffer.from(`${PROGRAM_MARKER}=${token}\0`);
  const found: ProcessId[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readProcFile(`${root}/${pid}/environ`);
    } catch {
      continue; // another user's, or gone
    }
    if (environ.indexOf(needle) < 0 && !environ.subarray(0, first.length).equals(first)) continue;
    const start = safeStartTime(pid, root);
    if (start !== null) found.push({ pid, start });
  }
  return found;
}

function safeStartTime(pid: number, root: string): number | null {
  try {
    return readProcStartTime(pid, root);
  } catch {
    return null;
  }
}

function signal(p: ProcessId, sig: NodeJS.Signals, root: string): boolean {
  try {
    // Gone, a zombie, or the pid is someone else's now: nothing to do.
    if (isProcessGone(p.pid, p.start, root)) return false;
    process.kill(p.pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** The processes one program started, as recorded while it ran; all synchronous (process 'exit' uses it). */
export class Descendants {
  private readonly known = new Map<number, ProcessId>();

  constructor(readonly token: string, private readonly root = "/proc") {}

  /** Records the tree below `pid` as it is now. */
  record(pid: number): void {
    for (const p of descendantsOf(pid, this.root)) this.remember(p);
  }

  private remember(p: ProcessId): void {
    const had = this.known.get(p.pid);
    if (had === undefined || had.start !== p.start) this.known.set(p.pid, p);
  }

  /**
   * Stops every recorded descendant, the ones below them and the ones the
   * marker finds: first frozen (SIGSTOP; a stopped process cannot fork)
   * until no new one appears, then killed. Returns how many were killed.
   */
  killAll(): number {
    let marked = processesMarked(this.token, this.root);
    if (this.known.size === 0 && marked.length === 0) return 0;
    const frozen = new Map<number, ProcessId>();
    for (let round = 0; round < 64; round++) {
      for (const p of marked) this.remember(p);
      for (const p of [...this.known.values()]) this.record(p.pid);
      const fresh = [...this.known.values()].filter((p) => !frozen.has(p.pid));
      if (fresh.length === 0) break;
      for (const p of fresh) {
        frozen.set(p.pid, p);
        signal(p, "SIGSTOP", this.root);
      }
      marked = processesMarked(this.token, this.root);
    }
    let killed = 0;
    for (const p of frozen.values()) if (signal(p, "SIGKILL", this.root)) killed++;
    this.known.clear();
    return killed;
  }
}
