// The probe for machines without a readable /proc (macOS, Windows, a locked-
// down container) and for --probe trace-only: the lesson runs on the tracer's
// word alone and says so, instead of guessing what the kernel did.

import type { Probe, ProcSample } from "./types.ts";

/**
 * The letter shown for a program's state when nothing can be read. Not a
 * kernel state letter, so nothing downstream mistakes it for R (running) or
 * S (sleeping).
 */
export const UNKNOWN_STATE = "?";

/** `byUser`: the user asked for no probe (--probe trace-only); else this machine has none. */
export function createNoProbe(reason: string, byUser = false): Probe {
  const capabilities = {
    proc: false,
    wchan: false,
    syscall: false,
    off: byUser ? reason : null,
    notes: [
      byUser
        ? `The kernel probe is off (${reason}), so the lesson shows what the programs asked for, not what the kernel did with them.`
        : `No kernel probe (${reason}), so the lesson shows what the programs asked for, not what the kernel did with them.`,
    ],
  };
  // Never "gone": without /proc the probe cannot know, and claiming a live
  // program is gone would be a lie. The runner learns of exits from the child
  // process itself.
  const sample = (pid: number): ProcSample => ({
    pid,
    state: UNKNOWN_STATE,
    wchan: null,
    syscall: { kind: "unknown", why: reason },
  });
  return { capabilities, sample };
}
