// The Linux probe's reader: the only part of the probe that touches files.
// procfs files are tiny and generated on read, so a synchronous read per file
// per sample is cheaper than any async machinery around it.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parseProcStat, parseProcSyscall, parseWchan, type ProcStat } from "./parse.ts";
import type { Probe, ProbeCapabilities, ProcSample, SyscallState } from "./types.ts";

export interface LinuxProbeOptions {
  /** Where procfs is mounted; tests point it at test/fixtures/proc. */
  readonly procRoot?: string;
  /** Picks the syscall-number table: uname -m or Node's process.arch. */
  readonly arch?: string;
}

export function createLinuxProbe(opts: LinuxProbeOptions = {}): Probe {
  const root = opts.procRoot ?? "/proc";
  const arch = opts.arch ?? process.arch;
  return {
    capabilities: detectCapabilities(root),
    sample: (pid) => sampleProcess(root, arch, pid),
  };
}

/** The parent of PID, or null when /proc/PID is gone, unreadable or a zombie's. */
export function readParentPid(pid: number, procRoot = "/proc"): number | null {
  try {
    const stat = readStat(procRoot, pid);
    return stat === null || stat.state === "Z" ? null : stat.ppid;
  } catch {
    return null; // not Linux, or /proc hidden: the launcher check then relies on process.ppid alone
  }
}

/** Start time of PID in clock ticks since boot, or null when /proc/PID is gone. */
export function readProcStartTime(pid: number, procRoot = "/proc"): number | null {
  return readStat(procRoot, pid)?.startTime ?? null;
}

/**
 * Whether the process started at `startTime` no longer runs: its /proc entry
 * is gone, the PID now belongs to a newer process, or it is a zombie (exited,
 * only waiting for its parent to collect the status; X is the instant after).
 */
export function isProcessGone(pid: number, startTime: number, procRoot = "/proc"): boolean {
  const stat = readStat(procRoot, pid);
  return stat === null || stat.startTime !== startTime || stat.state === "Z" || stat.state === "X";
}

function readStat(root: string, pid: number): ProcStat | null {
  const path = `${root}/${pid}/stat`;
  const read = readProc(path);
  if ("text" in read) return parseProcStat(read.text, path);
  if (read.failed === "gone") return null;
  throw new Error(`${path}: cannot read (${read.code})`);
}

// Three files read at three instants can describe a moment that never was: a
// program that leaves one system call for the next between the reads would
// show the state of the first with the number of the second. Reading syscall
// before and after, and trying again if it changed, keeps stat and wchan
// inside one stay in one call. Identical "running" reads prove less (the
// program may have slept in between), but then no call is claimed either.
const SAMPLE_ATTEMPTS = 3;

function sampleProcess(root: string, arch: string, pid: number): ProcSample | "gone" {
  let snap: Snapshot | "gone" = "gone";
  for (let attempt = 0; attempt < SAMPLE_ATTEMPTS; attempt++) {
    snap = snapshot(root, pid);
    if (snap === "gone" || snap.steady) break;
  }
  if (snap === "gone") return "gone";
  const syscall = syscallState(`${root}/${pid}`, arch, snap.syscall);
  if (syscall === "gone") return "gone";
  return { pid, state: snap.state, wchan: snap.wchan, syscall };
}

interface Snapshot {
  readonly state: string;
  readonly wchan: string | null;
  readonly syscall: ProcRead;
  readonly steady: boolean;
}

function snapshot(root: string, pid: number): Snapshot | "gone" {
  const dir = `${root}/${pid}`;
  const before = readProc(`${dir}/syscall`);
  const stat = readStat(root, pid);
  if (stat === null) return "gone";
  const wchan = readWchan(dir);
  if (wchan === "gone") return "gone";
  const after = readProc(`${dir}/syscall`);
  return { state: stat.state, wchan, syscall: after, steady: sameRead(before, after) };
}

function sameRead(a: ProcRead, b: ProcRead): boolean {
  return "text" in a && "text" in b ? a.text === b.text : !("text" in a) && !("text" in b) && a.code === b.code;
}

function readWchan(dir: string): string | null | "gone" {
  const read = readProc(`${dir}/wchan`);
  if ("text" in read) return parseWchan(read.text);
  // A kernel built without CONFIG_KALLSYMS has no wchan file at all.
  if (read.failed === "gone" && !existsSync(`${dir}/stat`)) return "gone";
  return null;
}

function syscallState(dir: string, arch: string, read: ProcRead): SyscallState | "gone" {
  const path = `${dir}/syscall`;
  if ("text" in read) return parseProcSyscall(read.text, arch, path);
  if (read.failed === "denied") {
    return { kind: "unknown", why: `${path}: ${read.code}: reading it needs ptrace access to the process` };
  }
  // Without CONFIG_HAVE_ARCH_TRACEHOOK the kernel has no syscall file at all.
  if (existsSync(`${dir}/stat`)) return { kind: "unknown", why: `${path}: this kernel has no such file` };
  return "gone";
}

type ProcRead =
  | { readonly text: string }
  | { readonly failed: "gone" | "denied"; readonly code: string };

// ENOENT: the PID's directory is gone (or never existed). ESRCH: the file was
// opened, then the process was reaped before the read.
const GONE_CODES: ReadonlySet<string> = new Set(["ENOENT", "ESRCH"]);
// EACCES/EPERM: /proc/PID/syscall needs PTRACE_MODE_ATTACH (Yama, another
// user's process); hidepid= mounts hide other users' entries the same way.
const DENIED_CODES: ReadonlySet<string> = new Set(["EACCES", "EPERM"]);

function readProc(path: string): ProcRead {
  try {
    return { text: readFileSync(path, "utf8") };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (GONE_CODES.has(code)) return { failed: "gone", code };
    if (DENIED_CODES.has(code)) return { failed: "denied", code };
    throw err;
  }
}

// Capabilities are checked once, on the probe's own process. Reading our own
// files is always allowed, so the checks below add what self cannot tell:
// whether wchan yields names (our own wchan is always "0": we are running),
// and whether Yama forbids reading our children's syscall files.
function detectCapabilities(root: string): ProbeCapabilities {
  const stat = tryRead(`${root}/self/stat`);
  if (typeof stat !== "string") {
    return { proc: false, wchan: false, syscall: false, off: null, notes: [procNote(root, stat.code)] };
  }
  const wchan = wchanCapability(root, stat);
  const syscall = syscallCapability(root);
  const notes = [wchan.note, syscall.note].filter((n): n is string => n !== null);
  return { proc: true, wchan: wchan.ok, syscall: syscall.ok, off: null, notes };
}

interface Check {
  readonly ok: boolean;
  readonly note: string | null;
}

function procNote(root: string, code: string): string {
  return `${root}/self/stat is not readable (${code}), so the lesson cannot show whether a program runs or sleeps in the kernel.`;
}

function wchanCapability(root: string, selfStat: string): Check {
  const own = tryRead(`${root}/self/wchan`);
  if (typeof own !== "string") {
    return {
      ok: false,
      note:
        `${root}/self/wchan is not readable (${own.code}), so the lesson cannot name the kernel function a blocked program sleeps in.`,
    };
  }
  // A name where something of ours sleeps shows that the kernel resolves
  // names here: one of our own threads (the runtime's workers are idle most
  // of the time) or our parent (a shell or npm, asleep waiting for us; a
  // test runner may be busy, which made a parent-only check flaky). The
  // lesson programs are our own children, readable like our parent.
  const ppid = parseProcStat(selfStat, `${root}/self/stat`).ppid;
  const sleepers = [...threadWchanPaths(root), `${root}/${ppid}/wchan`];
  if (sleepers.some((path) => parseWchan(readOr(path, "0")) !== null)) return { ok: true, note: null };
  return {
    ok: true,
    note: `wchan read only "0" here, so the kernel may hide the names of the functions blocked programs sleep in.`,
  };
}

/** /proc/self/task/TID/wchan for each of our threads; none where the folder can't be read. */
function threadWchanPaths(root: string): string[] {
  try {
    return readdirSync(`${root}/self/task`).map((tid) => `${root}/self/task/${tid}/wchan`);
  } catch {
    return [];
  }
}

function readOr(path: string, fallback: string): string {
  const text = tryRead(path);
  return typeof text === "string" ? text : fallback;
}

function syscallCapability(root: string): Check {
  const own = tryRead(`${root}/self/syscall`);
  if (typeof own !== "string") {
    return { ok: false, note: syscallNote(`${root}/self/syscall is not readable (${own.code})`) };
  }
  const blocked = yamaBlocksChildren(root);
  return blocked === null ? { ok: true, note: null } : { ok: false, note: syscallNote(blocked) };
}

function syscallNote(cause: string): string {
  return `${cause}, so the lesson cannot show which system call a blocked program is in.`;
}

// Yama scope 1 still lets a process trace its own descendants (the lesson's
// programs); 2 needs CAP_SYS_PTRACE (approximated by root), 3 forbids it.
function yamaBlocksChildren(root: string): string | null {
  const scope = tryRead(`${root}/sys/kernel/yama/ptrace_scope`);
  if (typeof scope !== "string") return null;
  const level = scope.trim();
  if (level === "3") return "Yama ptrace_scope is 3";
  if (level === "2" && process.getuid?.() !== 0) return "Yama ptrace_scope is 2 and this user is not root";
  return null;
}

function tryRead(path: string): string | { readonly code: string } {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    return { code: (err as NodeJS.ErrnoException).code ?? String(err) };
  }
}
