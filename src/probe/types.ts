// What the kernel probe reports about one lesson program at one moment.
// Pure types: imported by the pure core (facts, session) and by the reader.

/** What /proc/PID/syscall says the program's main thread is doing. */
export type SyscallState =
  | { readonly kind: "running" } // runnable: on a CPU or waiting for one (even mid-syscall, when preempted)
  | { readonly kind: "in-syscall"; readonly nr: number; readonly name: string | null }
  | { readonly kind: "not-in-syscall" } // blocked, but not inside a system call ("-1 ...")
  | { readonly kind: "unknown"; readonly why: string }; // file unreadable or absent

export interface ProcSample {
  readonly pid: number;
  /** The state letter of /proc/PID/stat: R running, S sleeping, D disk sleep, Z zombie, T stopped... */
  readonly state: string;
  /** Kernel function the task sleeps in; null when the kernel hides it or reports "0". */
  readonly wchan: string | null;
  readonly syscall: SyscallState;
}

/** What this machine lets the probe see. Each false has a reason for the narration. */
export interface ProbeCapabilities {
  readonly proc: boolean; // /proc/PID/stat readable
  readonly wchan: boolean; // /proc/PID/wchan gives names (not only "0")
  readonly syscall: boolean; // /proc/PID/syscall readable (needs ptrace-read access)
  /** Set when the user turned the probe off (--probe trace-only): the machine may well show it. */
  readonly off: string | null;
  readonly notes: readonly string[]; // one sentence per missing capability
}

export interface Probe {
  readonly capabilities: ProbeCapabilities;
  /** One sample of a program; "gone" when the process no longer exists. */
  sample(pid: number): ProcSample | "gone";
}
