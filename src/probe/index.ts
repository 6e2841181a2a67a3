// Picks the probe for this machine. Callers depend on the Probe interface
// only, so the lesson runs the same with or without /proc.

import { hostPlatform } from "../platform.ts";
import { createLinuxProbe, type LinuxProbeOptions } from "./linux.ts";
import { createNoProbe } from "./none.ts";
import type { Probe } from "./types.ts";

export type ProbeMode = "auto" | "trace-only";

export interface ProbeOptions extends LinuxProbeOptions {
  /** Defaults to hostPlatform() (process.platform); tests pass another to see the fallback. */
  readonly platform?: string;
}

export function createProbe(mode: ProbeMode, opts: ProbeOptions = {}): Probe {
  if (mode === "trace-only") return createNoProbe("--probe trace-only", true);
  const platform = opts.platform ?? hostPlatform();
  if (platform !== "linux") return createNoProbe(`${platform} has no /proc`);
  const probe = createLinuxProbe(opts);
  if (!probe.capabilities.proc) return createNoProbe(`${opts.procRoot ?? "/proc"} is not readable`);
  return probe;
}

export type { Probe, ProbeCapabilities, ProcSample, SyscallState } from "./types.ts";
