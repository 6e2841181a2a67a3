// Runs the built app (dist/cli.js) the way a user does, and reads /proc to
// check that nothing it started outlives it.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export type JsonLine = Record<string, unknown> & { type: string };

export function ndjson(stdout: string): JsonLine[] {
  return stdout.trim().split("\n").map((line) => JSON.parse(line) as JsonLine);
}

export function facts(lines: JsonLine[], name?: string, program?: string): JsonLine[] {
  return lines.filter((l) =>
    l.type === "fact" && (name === undefined || l.fact === name) &&
    (program === undefined || l.program === program)
  );
}

/** Gone: no /proc entry, or a zombie (it has exited; only its parent's bookkeeping is left). */
export function processGone(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    const text = readFileSync(stat, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** True when something listens on 127.0.0.1:port (from /proc/net/tcp; state 0A is LISTEN). */
export function listening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return readFileSync("/proc/net/tcp", "utf8").split("\n").some((row) => {
    const cols = row.trim().split(/\s+/);
    return cols[1]?.endsWith(`:${hexPort}`) && cols[3] === "0A";
  });
}

/** The pids of every process still in process group `pgid` (zombies included: they still hold it). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return members;
}

export interface LiveApp {
  readonly child: ChildProcess;
  readonly lines: JsonLine[];
  readonly exit: Promise<{ code: number | null; signal: string | null; atMs: number }>;
  /** Resolves with the first JSON line that matches, or rejects if the app ends first. */
  waitFor(match: (line: JsonLine) => boolean): Promise<JsonLine>;
  pids(): number[];
  port(): number;
}

/**
 * Starts the built app with --json output and follows its lines as they
 * come. `command` starts it another way (npx, Deno); the args are appended.
 */
export function startApp(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  command: readonly string[] = [process.execPath, CLI],
): LiveApp {
  const child = spawn(command[0]!, [...command.slice(1), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    cwd: fileURLToPath(new URL("../../", import.meta.url)),
  });
  const lines: JsonLine[] = [];
  const waiters: { match: (l: JsonLine) => boolean; resolve: (l: JsonLine) => void; reject: (e: Error) => void }[] = [];
  let rest = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop()!;
    for (const part of parts) {
      const line = JSON.parse(part) as JsonLine;
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const started = performance.now();
  const exit = new Promise<{ code: number | null; signal: string | null; atMs: number }>((resolve) =>
    child.on("close", (code, signal) => {
      for (const w of waiters) {
        w.reject(new Error(`the app ended (code ${code}) before the awaited line; stderr: ${stderr}`));
      }
      resolve({ code, signal, atMs: performance.now() - started });
    })
  );
  return {
    child,
    lines,
    exit,
    waitFor: (match) => {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
    pids: () => lines.filter((l) => l.type === "fact" && l.fact === "program.started").map((l) => l.pid as number),
    port: () => lines.find((l) => l.type === "lesson")?.port as number,
  };
}

/** Waits until every pid is gone, every group empty and nothing listens on the port; fails after withinMs. */
export async function waitAllGone(pids: number[], port: number, withinMs: number): Promise<number> {
  const start = performance.now();
  const clean = () => pids.every(processGone) && pids.every((p) => groupMembers(p).length === 0) && !listening(port);
  while (performance.now() - start < withinMs) {
    if (clean()) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  const left = pids.filter((pid) => !processGone(pid) || groupMembers(pid).length > 0);
  throw new Error(
    `after ${withinMs} ms: groups of ${left.join(", ") || "none"} remain; port ${port} listening: ${listening(port)}`,
  );
}
