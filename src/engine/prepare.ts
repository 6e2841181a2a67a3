// Everything a run needs from the machine, checked before any program starts:
// Python, a port, the kernel probe, the tracer's files. Used by the commands
// and the TUI alike.
import { hostPlatform } from "../platform.ts";
import type { CliValues } from "../cli.ts";
import { createProbe, type Probe } from "../probe/index.ts";
import { UserError } from "../runner/errors.ts";
import { checkPortFree, findFreePort } from "../runner/ports.ts";
import { type TracerFiles, tracerFiles } from "../runner/program.ts";
import { findPythonAsync } from "../runner/python.ts";

export interface Prepared {
  readonly python: string;
  readonly port: number;
  readonly probe: Probe;
  readonly tracer: TracerFiles;
}

/**
 * Said before anything starts on Windows: the runner stops programs through
 * POSIX process groups and the tracer reads sockets with fcntl/ioctl, and
 * neither has been built or tested for Windows.
 */
export const WINDOWS_NOTE =
  "Lessons cannot run on Windows yet: stopping the programs needs POSIX process groups, and the tracer needs fcntl.";
export const WINDOWS_HINT =
  "`socket-lessons list` and `socket-lessons doctor` work here; run the lessons in WSL (Linux) for the full kernel view.";

function settled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

export async function prepareRun(values: CliValues): Promise<Prepared> {
  if (hostPlatform() === "win32") throw new UserError(WINDOWS_NOTE, WINDOWS_HINT);
  const mode = values.probe ?? "auto";
  if (mode !== "auto" && mode !== "trace-only") {
    throw new UserError(`--probe ${mode} is not a probe mode.`, "Use --probe auto or --probe trace-only.");
  }
  // Both at once; when both fail, Python's problem is the one told (it is told first everywhere).
  const [python, port] = await Promise.allSettled([
    findPythonAsync(values.python ?? "python3"),
    values.port !== undefined ? checkPortFree(Number(values.port)) : findFreePort(),
  ]).then(([p, q]) => [settled(p), settled(q)] as const);
  return { python: python.command, port, probe: createProbe(mode), tracer: tracerFiles() };
}
