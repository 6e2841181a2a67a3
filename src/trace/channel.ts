// The tracer's channel: newline-delimited JSON, validated here once so that
// nothing downstream re-checks a TraceEvent. Pure: no I/O.
import type { TraceEvent } from "./events.ts";
import { isCallName } from "./registry.ts";

export class TraceChannelError extends Error {
  constructor(reason: string, readonly raw: string) {
    super(`trace channel: ${reason}: ${JSON.stringify(raw.slice(0, 200))}`);
  }
}

type Json = Record<string, unknown>;
type Kind = "number" | "string" | "boolean" | "object";

/** Each event's required fields; `?` marks a field that may also be null. */
const SHAPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  hello: { pid: "number", python: "string", t: "number" },
  caps: {
    sock_queues: "boolean",
    tcp_info: "boolean",
    tcp_window: "boolean",
    rusage_thread: "boolean",
    platform: "string",
  },
  ready: { t: "number" },
  call: { id: "number", t: "number", nth: "number", mode: "string", timeout_s: "number?", bytes: "number?" },
  ret: { id: "number?", t: "number", nth: "number", ms: "number", result: "number?", bytes: "number?" },
  err: { id: "number?", t: "number", nth: "number", ms: "number", errno: "string", exc: "string", message: "string" },
  sum: { t: "number", calls: "number", bytes: "number", ms: "number", last: "number?" },
  sample: { t: "number" },
  gone: { t: "number", fd: "number" },
  exit: { t: "number", left: "number", cpu_ms: "number?", sleeps: "number?" },
  held: { id: "number", call: "string", when: "string", t: "number", nth: "number" },
  released: { id: "number", t: "number", ms: "number" },
};
/** Fields an event may leave out; when there, they must be of this kind. */
const OPTIONAL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  sum: { sleeps: "number", cpu_ms: "number", asleep_ms: "number" },
  ret: { sleeps: "number?", cpu_ms: "number?", asleep_ms: "number?" },
  err: { asleep_ms: "number?" },
  exit: { ready_ms: "number?" },
};
/** Events about one call: they name it, its socket and the program's line. */
const LOCATED: ReadonlySet<string> = new Set(["call", "ret", "err", "sum"]);
const MODES: ReadonlySet<string> = new Set(["blocking", "non-blocking", "timeout"]);

function check(o: Json, raw: string, field: string, spec: string): void {
  const nullable = spec.endsWith("?");
  const kind = (nullable ? spec.slice(0, -1) : spec) as Kind;
  const value = o[field];
  if (nullable && value === null) return;
  if (typeof value !== kind || value === null) throw new TraceChannelError(`field "${field}" is not a ${spec}`, raw);
}

function checkLocated(o: Json, raw: string): void {
  if (typeof o.call !== "string" || !isCallName(o.call)) throw new TraceChannelError("unknown call", raw);
  if (o.fd !== null && typeof o.fd !== "number") throw new TraceChannelError("bad fd", raw);
  if (o.line !== null && typeof o.line !== "number") throw new TraceChannelError("bad line", raw);
}

function checkFields(o: Json, raw: string): void {
  const fields = o.fields;
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new TraceChannelError("fields is not an object", raw);
  }
  for (const value of Object.values(fields)) {
    if (value !== null && !["string", "number", "boolean"].includes(typeof value)) {
      throw new TraceChannelError("a field is not a plain value", raw);
    }
  }
}

export function parseTraceLine(raw: string): TraceEvent {
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch {
    throw new TraceChannelError("not JSON", raw);
  }
  return traceEventFrom(obj, raw);
}

/**
 * The same checks on an event already parsed (a recording's, read from a file
 * anyone may have written); `raw` is what the error quotes.
 */
export function traceEventFrom(obj: unknown, raw: string): TraceEvent {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new TraceChannelError("not an object", raw);
  const o = obj as Json;
  const shape = typeof o.ev === "string" ? SHAPES[o.ev] : undefined;
  if (shape === undefined) throw new TraceChannelError("unknown event", raw);
  for (const [field, spec] of Object.entries(shape)) check(o, raw, field, spec);
  for (const [field, spec] of Object.entries(OPTIONAL[o.ev as string] ?? {})) {
    if (field in o) check(o, raw, field, spec);
  }
  if (LOCATED.has(o.ev as string)) checkLocated(o, raw);
  if (o.ev === "call" || o.ev === "ret") checkFields(o, raw);
  if (o.ev === "call" && !MODES.has(o.mode as string)) throw new TraceChannelError("bad mode", raw);
  if (o.ev === "sample") {
    if (!Array.isArray(o.socks)) throw new TraceChannelError("socks is not a list", raw);
    const inCall = o.in as Json | null;
    if (
      inCall !== null && (typeof inCall !== "object" || typeof inCall.since !== "number" ||
        typeof inCall.call !== "string" || !isCallName(inCall.call) || typeof inCall.nth !== "number")
    ) {
      throw new TraceChannelError("bad in", raw);
    }
  }
  if (o.ev === "exit" && !Array.isArray(o.socks)) throw new TraceChannelError("socks is not a list", raw);
  if (o.ev === "held" && (o.when !== "before" && o.when !== "after" || !isCallName(o.call as string))) {
    throw new TraceChannelError("bad hold", raw);
  }
  return o as unknown as TraceEvent;
}

/** Maps the tracer's monotonic nanoseconds onto the run's milliseconds: run ms = ns / 1e6 + offsetMs. */
export function toRunClock(event: TraceEvent, offsetMs: number): TraceEvent {
  const ms = (ns: number) => ns / 1e6 + offsetMs;
  if (event.ev === "caps") return event;
  if (event.ev === "sample") {
    return { ...event, t: ms(event.t), in: event.in && { ...event.in, since: ms(event.in.since) } };
  }
  return { ...event, t: ms(event.t) };
}

/** Splits a byte stream into lines; keeps the unfinished rest for the next chunk. */
export class LineSplitter {
  private rest = "";
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split("\n");
    this.rest = lines.pop() ?? "";
    return lines.filter((line) => line.length > 0);
  }
}
