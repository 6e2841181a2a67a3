// Facts: what the observations prove, each with its evidence. The names and
// fields here are the contract of `run --json` (see README) and of lesson
// files, whose beats name a fact and fill placeholders from its fields.

/** Every fact and the fields a lesson template may name. */
export const FACT_FIELDS = {
  "program.started": ["program", "pid"],
  "listen.ready": ["program", "port", "backlog", "line"],
  "accept.waiting": ["program", "line"],
  "accept.returned": ["program", "ms", "line"],
  "connect.done": ["program", "ms", "line"],
  "send.called": ["program", "bytes", "line"],
  "sendq.filled": ["program", "peak", "limit"],
  "send.waiting": ["program", "ms", "line"],
  "send.blocked": ["program", "syscall", "wchan", "line"],
  "send.woke": ["program", "asleep_ms"],
  "send.returned": ["program", "sent", "total", "ms", "sleeps", "line"],
  "would_block": ["program", "errno", "call", "line"],
  "recv.total": ["program", "bytes", "calls"],
  "data.lost": ["intended", "sent", "received", "lost"],
  "connect.waiting": ["program", "ms", "line"],
  "connect.blocked": ["program", "syscall", "wchan", "line"],
  "connect.cancelled": ["program", "after_ms", "syn_retries", "line"],
  "program.exited": ["program", "code", "signal", "stopped_by", "stderr"],
} as const;

export type FactName = keyof typeof FACT_FIELDS;

/**
 * What a fact rests on beyond the trace itself: the /proc probe's state and
 * syscall, or the tracer's socket queue sizes (Linux ioctls). A machine
 * without them cannot show the fact.
 */
export type Capability = "proc" | "syscall" | "sock_queues";
export const FACT_NEEDS: Partial<Record<FactName, readonly Capability[]>> = {
  "send.blocked": ["proc", "syscall"],
  "send.woke": ["proc", "syscall"],
  "connect.blocked": ["proc", "syscall"],
  "sendq.filled": ["sock_queues"],
};
export const FACT_NAMES = Object.keys(FACT_FIELDS) as FactName[];

export type FactValue = string | number | boolean | null;

/** One piece of evidence: which source said what, and when (run clock, ms). */
export interface Evidence {
  readonly source: "trace" | "proc" | "socket" | "process" | "output";
  readonly t: number;
  readonly what: string;
}

export interface Fact {
  readonly fact: FactName;
  readonly t: number;
  readonly values: Readonly<Record<string, FactValue>>;
  readonly evidence: readonly Evidence[];
}
