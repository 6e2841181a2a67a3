// The fact vocabulary: every fact a lesson can name, its fields and what a
// machine must let us see for it. Call facts come from the registry of traced
// calls (src/trace/calls.json): <call>.<phase> for every call, so a call added
// there has its facts here without code. Pure.
import { argFields, CALL_NAMES, CALLS, callWaits, resultFields } from "../trace/registry.ts";

export const PHASES = ["called", "waiting", "blocked", "woke", "returned", "raised"] as const;
export type Phase = (typeof PHASES)[number];
/** Phases only a call that can wait has. */
const WAITING_PHASES: ReadonlySet<Phase> = new Set(["waiting", "blocked", "woke"]);

/**
 * What a fact or field rests on beyond the trace itself: the /proc probe's
 * state and syscall, the tracer's socket queue sizes (Linux ioctls), or the
 * kernel's per-thread counters (getrusage RUSAGE_THREAD, Linux).
 */
export type Capability = "proc" | "syscall" | "sock_queues" | "rusage_thread" | "tcp_window";

export interface FieldSpec {
  readonly doc: string;
  /** The only values it takes (checked in a lesson's where:). */
  readonly values?: readonly string[];
  /** What a null means here: "none" (there was none) or, by default, "unknown" (not measured). */
  readonly none?: string;
  /** Measured only where this capability is present (else null, "not measured here"). */
  readonly needs?: Capability;
}

export interface FactSpec {
  readonly name: string;
  readonly doc: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly needs: readonly Capability[];
  /** The call, for call facts. */
  readonly call?: string;
  readonly phase?: Phase;
}

const PROGRAM: FieldSpec = { doc: "the lesson's name for the program (server, client...)" };

export const TIMEOUT_MODES = ["blocking", "non-blocking", "timeout"] as const;
export const ERROR_CLASSES = ["would_block", "timeout", "refused", "reset", "broken_pipe", "other"] as const;

/**
 * Fields whose values are text, not numbers: a number format ({peer|bytes})
 * on one of them is a mistake the schema reports. A new kind of argument or
 * result with a text field adds its name here.
 */
const TEXT_FIELDS: ReadonlySet<string> = new Set([
  "program",
  "call",
  "mode",
  "syscall",
  "wchan",
  "errno",
  "error",
  "message",
  "addr",
  "peer",
  "local",
  "from",
  "to",
  "how",
  "option",
  "state",
  "stopped_by",
  "signal",
  "stderr",
]);

/** Fields every call fact has. */
const CALL_FIELDS: Readonly<Record<string, FieldSpec>> = {
  program: PROGRAM,
  call: { doc: "the call's name in the registry" },
  fd: { doc: "the socket's file descriptor", none: "none" },
  line: { doc: "the line of the lesson program that made the call" },
  nth: { doc: "the call's ordinal for this program and call name: 1 for its first recv(), ..." },
  mode: {
    doc: "the socket's mode at the call: blocking, non-blocking or timeout (for select, poll and sleep: " +
      "what their timeout argument asks)",
    values: TIMEOUT_MODES,
  },
  timeout_s: { doc: "the timeout in seconds at the call (null: none, it waits as long as it takes)", none: "none" },
};

const SLEEPS: FieldSpec = {
  doc: "the kernel's count of times the calling thread went to sleep during the call (voluntary context " +
    "switches, getrusage RUSAGE_THREAD); null on a hot line, where calls are summarised",
  needs: "rusage_thread",
};
const CPU_MS: FieldSpec = {
  doc: "CPU time (user + system) of the calling thread during the call, ms, from the same counters",
  needs: "rusage_thread",
};
const ASLEEP_MS: FieldSpec = {
  doc: "ms of the call the thread spent asleep: its duration minus its CPU time and its wait for a CPU " +
    "(schedstat; Linux); a lower bound (the counters are read just outside the call); null like sleeps",
  needs: "rusage_thread",
};

const PHASE_FIELDS: Readonly<Record<Phase, Readonly<Record<string, FieldSpec>>>> = {
  called: { bytes: { doc: "bytes handed to the call, or asked for (recv's bufsize)", none: "none" } },
  waiting: { ms: { doc: "how long the program had been inside the call, ms" } },
  blocked: {
    syscall: { doc: "the system call the kernel has the thread asleep in (sendto, recvfrom, poll, ...)" },
    wchan: { doc: "the kernel function it sleeps in (wait_woken, ...); null where the kernel hides it" },
  },
  woke: {},
  returned: {
    ms: { doc: "how long the call took, ms" },
    result: { doc: "what it returned, when a number (send's count, connect_ex's errno...)", none: "none" },
    bytes: { doc: "bytes it moved: taken by a send, returned by a recv", none: "none" },
    asked: { doc: "bytes it was handed (send) or asked for (recv's bufsize); null on a hot line", none: "none" },
    sleeps: SLEEPS,
    cpu_ms: CPU_MS,
    asleep_ms: ASLEEP_MS,
  },
  raised: {
    ms: { doc: "how long the call took before it raised, ms" },
    errno: { doc: "the errno's name (EAGAIN, ECONNREFUSED...) or, without one, the exception's (TimeoutError)" },
    error: { doc: "its class: would_block, timeout, refused, reset, broken_pipe or other", values: ERROR_CLASSES },
    message: { doc: "the exception's message" },
    sleeps: SLEEPS,
    cpu_ms: CPU_MS,
    asleep_ms: ASLEEP_MS,
  },
};

const PHASE_DOCS: Readonly<Record<Phase, string>> = {
  called: "the call began",
  waiting: "the tracer still finds the program inside the call 200 ms after it began",
  blocked: "inside the call, and the kernel shows the thread asleep in one of the call's system calls",
  woke: "first seen running again while still inside the call (or its return, after blocked)",
  returned: "the call returned",
  raised: "the call raised an exception",
};

const PHASE_NEEDS: Readonly<Record<Phase, readonly Capability[]>> = {
  called: [],
  waiting: [],
  blocked: ["proc", "syscall"],
  woke: ["proc", "syscall"],
  returned: [],
  raised: [],
};

const QUEUE_FIELDS: Readonly<Record<string, FieldSpec>> = {
  program: PROGRAM,
  fd: { doc: "the socket's file descriptor" },
  peak: { doc: "the highest the queue was seen, bytes (accept queue: connections)" },
  limit: {
    doc: "its buffer size, bytes (SO_SNDBUF or SO_RCVBUF; accept queue: the connections Linux queues, backlog + 1)",
  },
};

const OTHER_FACTS: readonly FactSpec[] = [
  queueFact("sendq.filled", "the send queue reached half its buffer (SO_SNDBUF) or more, and stopped growing"),
  queueFact("sendq.drained", "a send queue that had filled is empty again"),
  queueFact("recvq.filled", "the receive queue reached half its buffer (SO_RCVBUF) or more, and stopped growing"),
  queueFact("recvq.drained", "a receive queue that had filled is empty again"),
  queueFact("acceptq.filled", "a listening socket's accept queue is full: the kernel refuses new handshakes"),
  windowFact(
    "window.closed",
    "the receive window this socket advertises to its peer reached 0: the peer may send nothing",
  ),
  windowFact("window.opened", "a window that had closed is open again: the peer may send"),
  {
    name: "program.started",
    doc: "the program was spawned",
    needs: [],
    fields: { program: PROGRAM, pid: { doc: "its process id" } },
  },
  {
    name: "program.exited",
    doc: "the program ended",
    needs: [],
    fields: {
      program: PROGRAM,
      pid: { doc: "its process id" },
      code: { doc: "its exit code (null when a signal ended it)", none: "none" },
      signal: { doc: "the signal that ended it (SIGTERM...)", none: "none" },
      stopped_by: { doc: "why socket-lessons stopped it, if it did (lesson over, quit...)", none: "none" },
      stderr: { doc: "its last lines of stderr, when it failed by itself", none: "none" },
      cpu_ms: {
        doc: "CPU time of its main thread, ms, from the kernel's counters when it finished (null if it was killed)",
        needs: "rusage_thread",
      },
      sleeps: {
        doc: "times the kernel put its main thread to sleep in all (voluntary context switches; null if it was " +
          "killed)",
        needs: "rusage_thread",
      },
      ready_ms: {
        doc: "ms its main thread was ready to run but waited for a CPU (schedstat; Linux, null if it was killed): " +
          "wall_ms - ready_ms is the time it could have run",
      },
      wall_ms: { doc: "from spawn to exit, ms" },
    },
  },
  {
    name: "peer.closed",
    doc: "a recv returned 0 bytes: the other end closed the connection",
    needs: [],
    fields: {
      program: PROGRAM,
      fd: { doc: "the socket" },
      call: { doc: "the recv call that returned 0" },
      line: { doc: "its line" },
      bytes: { doc: "bytes received on this socket in all" },
      calls: { doc: "recv calls made on this socket in all, this one included" },
    },
  },
  {
    name: "transfer.ended",
    doc: "both ends of a connection have closed: one per direction that carried data",
    needs: [],
    fields: {
      from: { doc: "the sending program" },
      to: { doc: "the receiving program" },
      intended: { doc: "bytes the sender handed to its send calls, taken or not (sent + what its last send left)" },
      sent: { doc: "bytes its send calls took" },
      received: { doc: "bytes the receiver's recv calls returned" },
      lost: { doc: "intended - received: bytes the sender meant to deliver that never arrived" },
    },
  },
];

function windowFact(name: string, doc: string): FactSpec {
  return {
    name,
    doc,
    needs: ["tcp_window"],
    fields: {
      program: PROGRAM,
      fd: { doc: "the socket's file descriptor" },
      window: { doc: "the receive window it advertises, bytes (TCP_INFO tcpi_rcv_wnd)" },
      queued: { doc: "bytes in its receive queue then (SIOCINQ)", none: "none" },
    },
  };
}

function queueFact(name: string, doc: string): FactSpec {
  return { name, doc, needs: ["sock_queues"], fields: QUEUE_FIELDS };
}

/** `<call>.totals`: what all of one program's calls of a name added up to, when it ended. */
export const TOTALS_DOC = "the program ended: all its calls of this name, added up (every call, hot lines too)";
const TOTALS_FIELDS: Readonly<Record<string, FieldSpec>> = {
  program: PROGRAM,
  call: { doc: "the call's name in the registry" },
  calls: { doc: "how many calls it made" },
  raised: { doc: "how many of them raised" },
  bytes: { doc: "bytes they moved in all (sends: taken; recvs: returned; 0 for other calls)" },
  ms: { doc: "time inside them in all, ms" },
  sleeps: {
    doc: "times the kernel put the thread to sleep inside them, in all; null unless every call was counted " +
      "(the hot lines of a run that does not ask for it are not)",
    needs: "rusage_thread",
  },
  cpu_ms: { doc: "CPU time inside them in all, ms; null like sleeps", needs: "rusage_thread" },
  asleep_ms: {
    doc: "ms asleep inside them in all (neither on a CPU nor waiting for one; Linux); null like sleeps",
    needs: "rusage_thread",
  },
  complete: {
    doc: "true when the program ended by itself; false when it was stopped, and its last 100 ms of calls " +
      "may be untold",
  },
};

function callFacts(call: string): FactSpec[] {
  const phases = PHASES.filter((p) => callWaits(call) || !WAITING_PHASES.has(p));
  const totals: FactSpec = { name: `${call}.totals`, doc: TOTALS_DOC, needs: [], fields: TOTALS_FIELDS, call };
  return [
    ...phases.map((phase): FactSpec => {
      // A return also tells what the call was asked (its arguments' fields): listen.returned has the backlog.
      const extra = phase === "called"
        ? argFields(call)
        : phase === "returned"
        ? { ...argFields(call), ...resultFields(call) }
        : {};
      const fields: Record<string, FieldSpec> = { ...CALL_FIELDS, ...PHASE_FIELDS[phase] };
      for (const [field, doc] of Object.entries(extra)) fields[field] = { doc, none: "none" };
      return { name: `${call}.${phase}`, doc: PHASE_DOCS[phase], needs: PHASE_NEEDS[phase], fields, call, phase };
    }),
    totals,
  ];
}

/** Every fact, call facts first (in registry order), then the others. */
export const FACTS: ReadonlyMap<string, FactSpec> = new Map(
  [...CALL_NAMES.flatMap(callFacts), ...OTHER_FACTS].map((spec) => [spec.name, spec]),
);
export const FACT_NAMES: readonly string[] = [...FACTS.keys()];

export function isFactName(name: string): boolean {
  return FACTS.has(name);
}

export function factFields(name: string): readonly string[] {
  return Object.keys(FACTS.get(name)?.fields ?? {});
}

/** Facts about one program (the rest, transfer.ended, are about two). */
export function factHasProgram(name: string): boolean {
  return FACTS.get(name)?.fields.program !== undefined;
}

export function factNeeds(name: string): readonly Capability[] {
  return FACTS.get(name)?.needs ?? [];
}

export function fieldSpec(fact: string, field: string): FieldSpec | undefined {
  return FACTS.get(fact)?.fields[field];
}

export function isTextField(field: string): boolean {
  return TEXT_FIELDS.has(field);
}

/** What a null in this field means, in words. */
export function nullText(fact: string, field: string): string {
  return FACTS.get(fact)?.fields[field]?.none ?? "unknown";
}

/** The fact name for a call and phase. */
export function callFact(call: string, phase: Phase): string {
  return `${call}.${phase}`;
}

/** Short list of fact names for error messages: the calls' phases shown once, not 100 names. */
export function knownFactsSummary(): string {
  const calls = [...CALLS.keys()].join(", ");
  return `<call>.<phase> with call one of ${calls} and phase one of ${PHASES.join(", ")}; <call>.totals; ` +
    OTHER_FACTS.map((f) => f.name).join(", ");
}

/** Fields counted in bytes (the rest of the number fields are ms, when named so, or plain counts). */
const BYTE_FIELDS: ReadonlySet<string> = new Set([
  "bytes",
  "asked",
  "intended",
  "sent",
  "received",
  "lost",
  "peak",
  "limit",
  "window",
  "queued",
]);

/** How a number field of a fact reads: bytes, ms or a count (the accept queue's peak and limit are connections). */
export function fieldFormat(fact: string, field: string): "bytes" | "ms" | "count" {
  if (field === "ms" || field.endsWith("_ms")) return "ms";
  if (fact.startsWith("acceptq.")) return "count";
  return BYTE_FIELDS.has(field) ? "bytes" : "count";
}
