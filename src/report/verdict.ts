// A check's verdict as text (a line per criterion, ✓ ✗ or ?, with the
// measured evidence) and as JSON lines (one per criterion, then the
// verdict). The README's "Exercises" section shows both.
import type { CheckDone } from "../exercises/run-check.ts";
import type { CriterionResult } from "../exercises/judge.ts";
import { neverConnected } from "../exercises/outcome.ts";
import type { Exercise } from "../lessons/schema.ts";
import { formatMs } from "./format.ts";

const MARK: Readonly<Record<CriterionResult["status"], string>> = { pass: "✓", fail: "✗", unmeasured: "?" };

export interface VerdictContext {
  readonly exercise: Exercise;
  /** The learner's file as they would type it. */
  readonly file: string;
  /** The run's length, ms. */
  readonly ms: number;
  /** Whether this pass was saved now (the first), already saved before, or not a pass. */
  readonly saved: "now" | "before" | "no";
}

export function verdictLines(done: CheckDone, ctx: VerdictContext): string[] {
  const { verdict, outcome, result } = done;
  const lines: string[] = [...outcome.lines];
  const unconnected = verdict.passed ? null : neverConnected(outcome);
  if (unconnected !== null) lines.push(unconnected);
  for (const r of verdict.results) {
    lines.push(`${MARK[r.status]} ${r.title}: ${r.evidence}`);
    if (r.status === "fail" && r.hint) { for (const h of r.hint.split("\n")) lines.push(`    ${h}`); }
  }
  for (const problem of result.problems) lines.push(`! ${problem}`);
  const total = verdict.results.length;
  const failed = verdict.results.filter((r) => r.status === "fail").length;
  const unmeasured = verdict.results.filter((r) => r.status === "unmeasured").length;
  const after = `after ${formatMs(ctx.ms)}`;
  if (verdict.passed) {
    const saved = ctx.saved === "now" ? "saved in your progress" : "passed before too";
    lines.push(`Passed: all ${total} criteria (${after}; ${saved}).`);
  } else {
    const parts = [
      ...(failed > 0 ? [`${failed} of ${total} criteria failed`] : []),
      ...(unmeasured > 0 ? [`${unmeasured} could not be measured on this machine`] : []),
    ];
    lines.push(`Not yet: ${parts.join(", ")} (${after}).`);
    if (ctx.exercise.hints.length > 0) {
      lines.push(`Stuck? socket-lessons check ${ctx.exercise.id} --hint (${ctx.exercise.hints.length} hints)`);
    }
  }
  return lines;
}

export function verdictJson(done: CheckDone, ctx: VerdictContext): Record<string, unknown>[] {
  const { verdict, outcome, result } = done;
  const criteria = verdict.results.map((r) => ({
    type: "criterion",
    index: r.index,
    title: r.title,
    status: r.status,
    evidence: r.evidence,
    fact: r.fact,
    measured: r.measured,
    expected: r.expected,
    hint: r.status === "fail" ? r.hint : null,
  }));
  return [
    ...result.problems.map((message) => ({ type: "problem", message })),
    ...criteria,
    {
      type: "verdict",
      exercise: ctx.exercise.id,
      passed: verdict.passed,
      failed: verdict.results.filter((r) => r.status === "fail").length,
      unmeasured: verdict.results.filter((r) => r.status === "unmeasured").length,
      program: {
        name: outcome.program,
        how: outcome.kind,
        code: outcome.code,
        signal: outcome.signal,
        wall_ms: outcome.wallMs,
        connected: outcome.connected,
        said: outcome.lines,
      },
      pids: Object.fromEntries(
        result.facts.filter((f) => f.fact === "program.started").map((f) => [f.values.program, f.values.pid]),
      ),
      end: result.endReason,
      ms: Math.round(ctx.ms),
      saved: ctx.saved,
    },
  ];
}
