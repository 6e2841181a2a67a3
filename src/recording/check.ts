// A recording is a file anyone may have written or edited: each observation
// in it is checked once, as it is read, the way the tracer's channel checks
// the tracer's events, so that the fact engine downstream gets only
// observations shaped as the runner makes them. Pure.
import { TraceChannelError, traceEventFrom } from "../trace/channel.ts";

type Json = Record<string, unknown>;

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === "string";
const orNull = (check: (v: unknown) => boolean) => (v: unknown) => v === null || check(v);

const SYSCALL_KINDS = new Set(["running", "in-syscall", "not-in-syscall", "unknown"]);

/** Why `obs` is not an observation the runner makes; null when it is one. */
export function observationProblem(obs: unknown): string | null {
  if (typeof obs !== "object" || obs === null || Array.isArray(obs)) return "an observation that is not an object";
  const o = obs as Json;
  if (!isNumber(o.t)) return "an observation without its time";
  const field = (
    name: string,
    check: (v: unknown) => boolean,
  ) => (check(o[name]) ? null : `a ${o.kind} observation with a bad ${name}`);
  const first = (...problems: (string | null)[]) => problems.find((p) => p !== null) ?? null;
  switch (o.kind) {
    case "run":
      return first(
        field("lesson", isText),
        field("port", isNumber),
        field("sampleMs", isNumber),
        probeProblem(o.probe),
      );
    case "spawned":
      return first(field("program", isText), field("pid", isNumber));
    case "trace": {
      const problem = field("program", isText);
      if (problem) return problem;
      try {
        traceEventFrom(o.event, JSON.stringify(o.event ?? null));
        return null;
      } catch (error) {
        if (error instanceof TraceChannelError) return error.message;
        throw error;
      }
    }
    case "proc":
      return first(field("program", isText), sampleProblem(o.sample));
    case "output":
      return first(
        field("program", isText),
        field("stream", (v) => v === "stdout" || v === "stderr"),
        field("bytes", isNumber),
        field("tail", (v) => Array.isArray(v) && v.every(isText)),
      );
    case "exited":
      return first(
        field("program", isText),
        field("pid", isNumber),
        field("code", orNull(isNumber)),
        field("signal", orNull(isText)),
        field("stoppedBy", orNull(isText)),
      );
    case "stopped":
      return field("reason", isText);
    default:
      return `unknown observation kind ${JSON.stringify(o.kind)}`;
  }
}

function probeProblem(probe: unknown): string | null {
  const p = probe as Json | null;
  const ok = typeof p === "object" && p !== null && typeof p.proc === "boolean" && typeof p.wchan === "boolean" &&
    typeof p.syscall === "boolean" && (p.off === null || isText(p.off)) && Array.isArray(p.notes) &&
    p.notes.every(isText);
  return ok ? null : "a run observation with a bad probe";
}

function sampleProblem(sample: unknown): string | null {
  const s = sample as Json | null;
  if (typeof s !== "object" || s === null || !isNumber(s.pid) || !isText(s.state) || !orNull(isText)(s.wchan)) {
    return "a proc observation with a bad sample";
  }
  const syscall = s.syscall as Json | null;
  if (typeof syscall !== "object" || syscall === null || !SYSCALL_KINDS.has(syscall.kind as string)) {
    return "a proc observation with a bad syscall";
  }
  if (syscall.kind === "in-syscall" && (!isNumber(syscall.nr) || !orNull(isText)(syscall.name))) {
    return "a proc observation with a bad syscall";
  }
  return null;
}
