// The tracer's channel: newline-delimited JSON, validated here once so that
// nothing downstream re-checks a TraceEvent. Pure: no I/O.
import type { SocketFn, TraceEvent } from "./trace-events.ts";

const SOCKET_FNS: ReadonlySet<string> = new Set<SocketFn>([
  "socket",
  "connect",
  "connect_ex",
  "bind",
  "listen",
  "accept",
  "send",
  "sendall",
  "recv",
  "setblocking",
  "settimeout",
  "close",
]);

export class TraceChannelError extends Error {
  constructor(reason: string, readonly raw: string) {
    super(`trace channel: ${reason}: ${JSON.stringify(raw.slice(0, 200))}`);
  }
}

type Json = Record<string, unknown>;

function need(obj: Json, raw: string, field: string, type: "number" | "string" | "boolean"): void {
  const actual: string = typeof obj[field];
  if (actual !== type) throw new TraceChannelError(`field "${field}" is not a ${type}`, raw);
}

function needLocated(obj: Json, raw: string): void {
  if (typeof obj.fn !== "string" || !SOCKET_FNS.has(obj.fn)) throw new TraceChannelError("unknown fn", raw);
  need(obj, raw, "fd", "number");
  need(obj, raw, "t", "number");
  if (obj.line !== null && typeof obj.line !== "number") throw new TraceChannelError("bad line", raw);
}

export function parseTraceLine(raw: string): TraceEvent {
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch {
    throw new TraceChannelError("not JSON", raw);
  }
  if (typeof obj !== "object" || obj === null) throw new TraceChannelError("not an object", raw);
  const o = obj as Json;
  switch (o.ev) {
    case "hello":
      need(o, raw, "pid", "number");
      need(o, raw, "python", "string");
      need(o, raw, "t", "number");
      break;
    case "caps":
      need(o, raw, "sock_queues", "boolean");
      need(o, raw, "tcp_info", "boolean");
      need(o, raw, "platform", "string");
      break;
    case "call":
      needLocated(o, raw);
      need(o, raw, "id", "number");
      break;
    case "ret":
      needLocated(o, raw);
      need(o, raw, "ms", "number");
      break;
    case "err":
      needLocated(o, raw);
      need(o, raw, "ms", "number");
      need(o, raw, "errno", "string");
      need(o, raw, "message", "string");
      break;
    case "sum":
      needLocated(o, raw);
      need(o, raw, "calls", "number");
      need(o, raw, "bytes", "number");
      need(o, raw, "ms", "number");
      break;
    case "sample":
      need(o, raw, "t", "number");
      if (!Array.isArray(o.socks)) throw new TraceChannelError("socks is not a list", raw);
      if (o.in !== null && (typeof o.in !== "object" || typeof (o.in as Json).since !== "number")) {
        throw new TraceChannelError("bad in", raw);
      }
      break;
    default:
      throw new TraceChannelError("unknown event", raw);
  }
  return o as unknown as TraceEvent;
}

/** Maps the tracer's monotonic nanoseconds onto the run's milliseconds. */
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
