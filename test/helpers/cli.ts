// Runs the built app (dist/cli.js) the way a user does, and reads /proc to
// check that nothing it started outlives it.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
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
