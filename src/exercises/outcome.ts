// How the learner's program fared in a check, in words, from the run's facts:
// it ended by itself (and how), it crashed (with its stderr), it was still
// running at the time limit (and in which call), it never started, it never
// connected. Said before the criteria, so a verdict of ✗ on every line
// after a SyntaxError explains itself. Pure.
import type { Fact } from "../facts/types.ts";
import { formatValue } from "../lessons/template.ts";

/** The call the learner's program was last seen inside, from the session's lane. */
export interface LastCall {
  readonly call: string;
  readonly line: number | null;
  /** How long it had been inside, ms, when it was last seen there. */
  readonly ms: number;
}

export interface Outcome {
  readonly program: string;
  readonly kind: "exited" | "failed" | "stopped" | "timed-out" | "never-started";
  readonly code: number | null;
  readonly signal: string | null;
  readonly wallMs: number | null;
  /** Whether it made a connection: a connect() that returned, or an accept(). */
  readonly connected: boolean;
  /** The lines to print, already worded (whether it connected is said by neverConnected, for a failed check). */
  readonly lines: readonly string[];
}

export interface OutcomeInput {
  readonly program: string;
  readonly facts: readonly Fact[];
  readonly endReason: string;
  readonly timeoutMs: number;
  /** Whether the run was stopped by its time limit. */
  readonly timedOut: boolean;
  readonly lastCall: LastCall | null;
}

export function outcomeOf(input: OutcomeInput): Outcome {
  const { program, facts } = input;
  const mine = facts.filter((f) => f.values.program === program);
  const exited = mine.find((f) => f.fact === "program.exited");
  const connected = mine.some((f) =>
    f.fact === "accept.returned" || f.fact === "connect.returned" ||
    (f.fact === "connect_ex.returned" && f.values.errno === null)
  );
  const base = { program, connected };
  if (exited === undefined) {
    return {
      ...base,
      kind: "never-started",
      code: null,
      signal: null,
      wallMs: null,
      lines: [`${program} never started: ${input.endReason}.`],
    };
  }
  const v = exited.values;
  const code = typeof v.code === "number" ? v.code : null;
  const signal = typeof v.signal === "string" ? v.signal : null;
  const wallMs = typeof v.wall_ms === "number" ? v.wall_ms : null;
  const after = wallMs === null ? "" : ` after ${formatValue(wallMs, "ms")}`;
  const lines: string[] = [];
  let kind: Outcome["kind"];
  if (v.stopped_by !== null) {
    kind = input.timedOut ? "timed-out" : "stopped";
    const why = input.timedOut
      ? `was still running at the check's time limit (${formatValue(input.timeoutMs / 1000, null)} s) and was stopped`
      : `was still running when the check ended (${input.endReason}) and was stopped`;
    const where = input.lastCall
      ? `, inside ${input.lastCall.call}()${
        input.lastCall.line === null ? "" : ` on line ${input.lastCall.line}`
      } for ${formatValue(input.lastCall.ms, "ms")}`
      : "";
    lines.push(`${program} ${why}${where}.`);
  } else if (code === 0) {
    kind = "exited";
    lines.push(`${program} ended by itself with exit code 0${after}.`);
  } else {
    kind = "failed";
    lines.push(`${program} failed: ${signal === null ? `exit code ${code}` : `killed by ${signal}`}${after}.`);
    if (typeof v.stderr === "string" && v.stderr !== "") {
      lines.push("Its last lines of stderr:");
      for (const line of v.stderr.split("\n")) lines.push(`  ${line}`);
    }
  }
  return { ...base, kind, code, signal, wallMs, lines };
}

/** Said when a check fails: a program that never connected explains most of its ✗. */
export function neverConnected(outcome: Outcome): string | null {
  return outcome.connected || outcome.kind === "never-started"
    ? null
    : `${outcome.program} never made a connection (no connect() returned, no accept()).`;
}
