// socket-lessons doctor: what this machine lets the lessons show, one line a
// check, then a verdict. Exit 0 when lessons can run (even trace-only).
import { hostPlatform } from "../platform.ts";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CliValues } from "../cli.ts";
import { createProbe } from "../probe/index.ts";
import { UserError } from "../runner/errors.ts";
import { tracerFiles } from "../runner/program.ts";
import { findPython } from "../runner/python.ts";
import { WINDOWS_HINT, WINDOWS_NOTE } from "../engine/prepare.ts";
import { safeJson, safeLine } from "../text/sanitize.ts";
import { defaultLessonsDir } from "../lessons/folders.ts";
import { defaultProgressDir, PROGRESS_FILE } from "../ui/progress.ts";
import { lessonSet } from "./lessons.ts";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

// Asks the tracer itself to read a loopback socket's queues, so the answer is
// what a lesson will get, not a guess from the platform name.
const SOCKET_CHECK = `
import json, os, socket, sys
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import tracer
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname()); s, _ = srv.accept()
c.send(b"x" * 1000)
print(json.dumps({"sample": tracer._sock_sample(c.fileno(), c), "rusage_thread": tracer._RUSAGE_THREAD is not None}))
`;

function pythonCheck(command: string): { check: Check; executable: string | null } {
  try {
    const python = findPython(command);
    return {
      check: { name: "Python", ok: true, detail: `${python.version} (${python.command})` },
      executable: python.command,
    };
  } catch (error) {
    const message = error instanceof UserError ? `${error.message} ${error.hint ?? ""}`.trim() : String(error);
    return { check: { name: "Python", ok: false, detail: message }, executable: null };
  }
}

/** What the tracer itself can measure here: socket queues, and the kernel's per-thread counts of a call. */
function tracerChecks(python: string | null): [Check, Check] {
  if (python === null) {
    return [
      { name: "socket queues", ok: false, detail: "not checked: no Python" },
      { name: "call counts", ok: false, detail: "not checked: no Python" },
    ];
  }
  const run = spawnSync(python, ["-c", SOCKET_CHECK, tracerFiles().script], { encoding: "utf8", timeout: 10_000 });
  let answer: { sample: Record<string, number | string | undefined> | null; rusage_thread: boolean };
  try {
    answer = JSON.parse(run.stdout);
  } catch {
    const failed = `the check failed: ${run.stderr.trim().split("\n").at(-1) ?? run.status}`;
    return [{ name: "socket queues", ok: false, detail: failed }, { name: "call counts", ok: false, detail: failed }];
  }
  const sample = answer.sample;
  const queues: Check = sample && typeof sample.sndq === "number"
    ? {
      name: "socket queues",
      ok: true,
      detail:
        `SIOCOUTQ/SIOCINQ and SO_SNDBUF/SO_RCVBUF readable (a test socket: sndq ${sample.sndq}, sndbuf ${sample.sndbuf})`,
    }
    : { name: "socket queues", ok: false, detail: "this OS gives no send/receive queue sizes to the tracer" };
  const counts: Check = answer.rusage_thread
    ? { name: "call counts", ok: true, detail: "getrusage(RUSAGE_THREAD): each call's sleeps and CPU time, exactly" }
    : { name: "call counts", ok: false, detail: "no per-thread counters (RUSAGE_THREAD): sleeps and CPU time unknown" };
  return [queues, counts];
}

function sysctl(name: string): Check {
  try {
    const value = readFileSync(`/proc/sys/net/ipv4/${name}`, "utf8").trim().split(/\s+/).join(" ");
    return { name, ok: true, detail: `${value} (min default max, bytes)` };
  } catch {
    return { name, ok: false, detail: "unreadable on this machine" };
  }
}

function terminalCheck(values: CliValues): Check {
  const out = process.stdout;
  if (!out.isTTY) return { name: "terminal", ok: true, detail: "not a terminal: the app uses --plain" };
  const noColor = values["no-color"] === true || (process.env.NO_COLOR ?? "") !== "";
  const depth = out.getColorDepth?.() ?? 1;
  const colour = noColor ? "colours off (NO_COLOR/--no-color)" : `${2 ** depth} colours`;
  const small = (out.columns ?? 0) < 60 || (out.rows ?? 0) < 20 ? "; small: the compact layout is used" : "";
  return { name: "terminal", ok: true, detail: `${out.columns}x${out.rows}, ${colour}${small}` };
}

function runtimeCheck(): Check {
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  return { name: "runtime", ok: true, detail: deno ? `Deno ${deno.version.deno}` : `Node.js ${process.version}` };
}

export function doctorChecks(values: CliValues): { checks: Check[]; canRun: boolean; verdict: string } {
  const mode = values.probe === "trace-only" ? "trace-only" : "auto";
  const python = pythonCheck(values.python ?? "python3");
  const probe = createProbe(mode).capabilities;
  const checks: Check[] = [
    python.check,
    { name: "/proc", ok: probe.proc, detail: probe.proc ? "process state readable" : probe.notes.join(" ") },
    {
      name: "wchan",
      ok: probe.wchan,
      detail: probe.wchan ? "names where a program sleeps" : "hidden or absent: shown as unknown",
    },
    {
      name: "syscall",
      ok: probe.syscall,
      detail: probe.syscall
        ? "the system call a program is in"
        : "unreadable: sleeping in send/connect cannot be shown",
    },
    ...tracerChecks(python.executable),
    sysctl("tcp_wmem"),
    sysctl("tcp_rmem"),
    terminalCheck(values),
    runtimeCheck(),
  ];
  if (hostPlatform() === "win32") {
    checks.push({ name: "platform", ok: false, detail: `${WINDOWS_NOTE} ${WINDOWS_HINT}` });
  }
  const canRun = python.check.ok && hostPlatform() !== "win32";
  const full = probe.proc && probe.wchan && probe.syscall && checks[4]!.ok && checks[5]!.ok;
  const verdict = hostPlatform() === "win32"
    ? "Lessons cannot run on Windows yet."
    : !canRun
    ? "Lessons cannot run: fix Python first."
    : full
    ? "Lessons can run, with the full kernel view."
    : "Lessons can run, trace-only where marked: the narration says what this machine cannot show.";
  return { checks, canRun, verdict };
}

/** Where the learner's progress is kept: read, never changed (a corrupt file is the player's to move aside). */
export function progressPlace(): Check {
  const file = join(defaultProgressDir(), PROGRESS_FILE);
  if (!existsSync(file)) return { name: "progress", ok: true, detail: `${file} (not written yet)` };
  try {
    const done = Object.keys((JSON.parse(readFileSync(file, "utf8")) as { done?: object }).done ?? {}).length;
    return { name: "progress", ok: true, detail: `${file} (${done} ${done === 1 ? "lesson" : "lessons"} done)` };
  } catch {
    return { name: "progress", ok: false, detail: `${file} (unreadable: the player moves it aside when it starts)` };
  }
}

/** Where the lessons come from: the shipped folder or --lessons DIR, and how many load. */
async function lessonsPlace(values: CliValues): Promise<Check> {
  const dir = values.lessons !== undefined ? resolve(values.lessons) : defaultLessonsDir();
  const set = await lessonSet(values.lessons);
  const count = `${set.lessons.length} ${set.lessons.length === 1 ? "lesson" : "lessons"}`;
  const broken = set.errors.length > 0 ? `, ${set.errors.length} with errors (socket-lessons list shows them)` : "";
  return { name: "lessons", ok: set.errors.length === 0, detail: `${dir} (${count}${broken})` };
}

export async function doctorCommand(values: CliValues): Promise<number> {
  const report = doctorChecks(values);
  const checks = [...report.checks, progressPlace(), await lessonsPlace(values)];
  const { canRun, verdict } = report;
  if (values.json) {
    process.stdout.write(`${safeJson(JSON.stringify({ checks, canRun, verdict }))}\n`);
  } else {
    // A detail can quote Python's output or a path the user gave: shown as text, never run.
    for (const c of checks) {
      process.stdout.write(`${c.ok ? "ok " : "-- "} ${c.name.padEnd(14)} ${safeLine(c.detail)}\n`);
    }
    process.stdout.write(`${verdict}\n`);
  }
  return canRun ? 0 : 2;
}
