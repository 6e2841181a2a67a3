// Judging an exercise's run: the facts -> a verdict, each criterion ✓, ✗ or
// "not measured here", with the evidence worded from the facts' measured
// values. Pure: no I/O, no clock; the same facts always give the same
// verdict, which is what the unit tests check on recorded runs.
import type { Fact, FactValue } from "../facts/types.ts";
import { factFields, fieldFormat, isTextField, nullText } from "../facts/vocabulary.ts";
import { evaluate, type Expression } from "../lessons/expression.ts";
import type { Check, ComparisonName, Criterion, Exercise, Measure } from "../lessons/schema.ts";
import { fillTemplate, formatValue, type TemplateValue } from "../lessons/template.ts";
import { selects } from "../facts/select.ts";
import { type Capabilities, missingFor } from "../session/beats.ts";

export type Status = "pass" | "fail" | "unmeasured";

export interface CheckResult {
  readonly status: Status;
  /** What was measured, in words, from the facts (or why nothing was). */
  readonly evidence: string;
  /** The fact judged (for --json), null when none came. */
  readonly fact: string | null;
  readonly measured: FactValue;
  /** The bound it was compared with (for between: [low, high]); null when there was none to compute. */
  readonly expected: number | string | boolean | readonly [number, number] | null;
  /** Whether a fact the check selects came at all. */
  readonly found: boolean;
}

export interface CriterionResult extends CheckResult {
  readonly index: number;
  readonly title: string;
  readonly hint: string | null;
}

export interface Verdict {
  readonly passed: boolean;
  readonly results: readonly CriterionResult[];
}

/** Capabilities for a judgement whose wording of "not measured" is not shown (a question's choice). */
const UNSAID: Capabilities = { probe: null, tracer: { sockQueues: null, rusageThread: null, tcpWindow: null } };

/** Whether a check holds for these facts: true, false, or null when it could not be measured. */
export function checkHolds(check: Check, facts: readonly Fact[]): boolean | null {
  const status = judgeCheck(check, facts, UNSAID).status;
  return status === "unmeasured" ? null : status === "pass";
}

export function judge(exercise: Exercise, facts: readonly Fact[], caps: Capabilities): Verdict {
  const results = exercise.criteria.map((c) => judgeCriterion(c, facts, caps));
  return { passed: results.every((r) => r.status === "pass"), results };
}

export function judgeCriterion(criterion: Criterion, facts: readonly Fact[], caps: Capabilities): CriterionResult {
  const results = criterion.checks.map((check) => judgeCheck(check, facts, caps));
  // With any:, the first that passes; else the first that judged something that came; else the first.
  const shown = results.find((r) => r.status === "pass") ?? results.find((r) => r.found) ?? results[0]!;
  const status: Status = results.some((r) => r.status === "pass")
    ? "pass"
    : results.every((r) => r.status === "unmeasured")
    ? "unmeasured"
    : "fail";
  return { ...shown, status, index: criterion.index, title: criterion.title, hint: criterion.hint };
}

/** The values a check measures and words its evidence from: one fact's, or all of them added up. */
interface Measured {
  readonly fact: Fact | null;
  readonly values: Readonly<Record<string, FactValue>>;
  readonly value: FactValue;
  readonly count: number;
}

export function judgeCheck(check: Check, facts: readonly Fact[], caps: Capabilities): CheckResult {
  const selected = facts.filter((f) => check.on.some((on) => selects({ ...check, on }, f)));
  const measured = measure(check, selected);
  const factName = measured.fact?.fact ?? check.on[0]!;
  const found = selected.length > 0;
  const kind = check.measure.kind;
  if (measured.fact === null && (kind === "happened" || kind === "value" || kind === "max")) {
    return result("fail", `no ${describe(check)} happened in this run`, null, null, null, false);
  }
  if (kind === "happened") {
    const text = check.evidence ? fill(check, measured, {}) : `${factName} at ${formatValue(measured.fact!.t, "ms")}`;
    return result("pass", text, factName, null, null, true);
  }
  const comparison = check.comparison!;
  const env = { ...measured.values, count: measured.count };
  const field = "field" in check.measure ? check.measure.field : "count";
  if (measured.value === null || measured.value === undefined) {
    const why = missingFor(factName, caps) ?? `${field} was not measured in this run`;
    const more = caps.tracer.rusageThread === false && (field === "sleeps" || field === "cpu_ms")
      ? "this machine does not show per-thread kernel counters (getrusage RUSAGE_THREAD)"
      : why;
    return result("unmeasured", `not measured: ${more}`, factName, null, null, found);
  }
  const unit = (n: number) => formatValue(n, field === "count" ? "count" : fieldFormat(factName, field));
  if (comparison.op === "between") {
    const low = evaluate(comparison.low, env);
    const high = evaluate(comparison.high, env);
    if (low === null || high === null || typeof measured.value !== "number") {
      return unknownBound(measured, factName, comparison.low, comparison.high);
    }
    const ok = measured.value >= low && measured.value <= high;
    const auto = `${label(check.measure)} ${unit(measured.value)}, ${ok ? "" : "not "}between ${unit(low)} and ${
      unit(high)
    }`;
    const text = check.evidence ? fill(check, measured, { low, high }) : auto;
    return result(ok ? "pass" : "fail", text, factName, measured.value, [low, high], true);
  }
  const bound = comparison.bound;
  if (bound.kind === "literal") {
    const ok = measured.value === bound.value;
    const shown = (v: FactValue) => (typeof v === "boolean" ? (v ? "true" : "false") : String(v));
    const auto = `${label(check.measure)} ${shown(measured.value)}${ok ? "" : `, not ${shown(bound.value)}`}`;
    const text = check.evidence ? fill(check, measured, { expected: bound.value }) : auto;
    return result(ok ? "pass" : "fail", text, factName, measured.value, bound.value, true);
  }
  const expected = evaluate(bound.expression, env);
  if (expected === null || typeof measured.value !== "number") {
    return unknownBound(measured, factName, bound.expression);
  }
  const ok = compare(comparison.op, measured.value, expected);
  const words = RELATION[comparison.op];
  const auto = `${label(check.measure)} ${unit(measured.value)}, ${ok ? words[0] : words[1]} ${unit(expected)}`;
  const text = check.evidence ? fill(check, measured, { expected }) : auto;
  return result(ok ? "pass" : "fail", text, factName, measured.value, expected, true);
}

const RELATION: Readonly<Record<Exclude<ComparisonName, "between">, readonly [string, string]>> = {
  equals: ["equal to", "not"],
  below: ["below", "not below"],
  above: ["above", "not above"],
  at_least: ["at least", "below"],
  at_most: ["at most", "above"],
};

function compare(op: string, value: number, bound: number): boolean {
  switch (op) {
    case "equals":
      return value === bound;
    case "below":
      return value < bound;
    case "above":
      return value > bound;
    case "at_least":
      return value >= bound;
    case "at_most":
      return value <= bound;
    default:
      return false;
  }
}

function result(
  status: Status,
  evidence: string,
  fact: string | null,
  measured: FactValue,
  expected: CheckResult["expected"],
  found: boolean,
): CheckResult {
  return { status, evidence, fact, measured, expected, found };
}

/** A bound that needs a field the run did not measure: the check cannot be judged. */
function unknownBound(measured: Measured, fact: string, ...bounds: Expression[]): CheckResult {
  const missing = bounds.flatMap((b) => fieldsIn(b)).filter((f) => typeof measured.values[f] !== "number");
  const what = missing.length > 0 ? missing.join(", ") : "its bound";
  return result("unmeasured", `not measured: ${what} unknown in this run`, fact, measured.value, null, true);
}

function fieldsIn(e: Expression): string[] {
  if (e.kind === "field") return [e.name];
  if (e.kind === "negate") return fieldsIn(e.of);
  if (e.kind === "binary") return [...fieldsIn(e.left), ...fieldsIn(e.right)];
  return [];
}

function label(m: Measure): string {
  switch (m.kind) {
    case "value":
      return `${m.field}`;
    case "sum":
      return `${m.field} in all`;
    case "max":
      return `largest ${m.field}`;
    case "count":
      return "count";
    case "happened":
      return "";
  }
}

function measure(check: Check, selected: readonly Fact[]): Measured {
  const m = check.measure;
  if (m.kind === "count") {
    return { fact: selected[0] ?? null, values: {}, value: selected.length, count: selected.length };
  }
  if (m.kind === "sum") {
    // Nothing selected adds up to 0 in every number field: no send() calls were asleep 0 times.
    const zeros = Object.fromEntries(factFields(check.on[0]!).filter((f) => !isTextField(f)).map((f) => [f, 0]));
    const values = selected.length === 0 ? zeros : addedUp(selected);
    return {
      fact: selected[0] ?? null,
      values,
      value: m.field in values ? values[m.field]! : 0,
      count: selected.length,
    };
  }
  if (m.kind === "max") {
    let best: Fact | null = null;
    for (const f of selected) {
      const v = f.values[m.field];
      if (v === null || v === undefined) return { fact: f, values: f.values, value: null, count: selected.length };
      if (best === null || (v as number) > (best.values[m.field] as number)) best = f;
    }
    return { fact: best, values: best?.values ?? {}, value: best?.values[m.field] ?? null, count: selected.length };
  }
  const fact = chosen(check, selected);
  const value = m.kind === "value" ? (fact?.values[m.field] ?? null) : null;
  return { fact, values: fact?.values ?? {}, value, count: selected.length };
}

/** The fact `nth:` names: by the call's ordinal for call facts, else the nth match; the first without nth. */
function chosen(check: Check, selected: readonly Fact[]): Fact | null {
  const nth = check.nth;
  if (nth === undefined) return selected[0] ?? null;
  if (nth === "last") return selected.at(-1) ?? null;
  const byOrdinal = selected.find((f) => typeof f.values.call === "string" && f.values.nth === nth);
  if (byOrdinal) return byOrdinal;
  const counted = selected.filter((f) => typeof f.values.nth !== "number" || typeof f.values.call !== "string");
  return counted[nth - 1] ?? null;
}

/** Every number field added up (a null makes its sum null: unknown, never smaller); text fields listed. */
function addedUp(facts: readonly Fact[]): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  for (const fact of facts) {
    for (const [field, value] of Object.entries(fact.values)) {
      if (isTextField(field)) {
        const seen = typeof out[field] === "string" ? (out[field] as string).split(", ") : [];
        if (typeof value === "string" && !seen.includes(value)) out[field] = [...seen, value].join(", ");
      } else if (typeof value === "number") {
        const before = out[field];
        out[field] = before === null ? null : (typeof before === "number" ? before : 0) + value;
      } else if (value === null && typeof fact.values[field] !== "boolean") {
        out[field] = null;
      } else if (typeof value === "boolean") {
        out[field] = out[field] === undefined ? value : out[field] === true && value;
      }
    }
  }
  return out;
}

function fill(check: Check, measured: Measured, extra: Record<string, TemplateValue>): string {
  const fact = check.on[0]!;
  const values: Record<string, TemplateValue> = { ...measured.values, count: measured.count, ...extra };
  const nulls = Object.fromEntries(Object.keys(measured.values).map((f) => [f, nullText(fact, f)]));
  return fillTemplate(check.evidence!, values, nulls);
}

/** The facts a check selects, in words: "transfer.ended with from "client"". */
export function describe(check: Check): string {
  const which = check.nth === undefined ? "" : check.nth === "last" ? " (the last one)" : ` (number ${check.nth})`;
  const from = check.program ? ` from ${check.program}` : "";
  const where = check.where
    ? ` with ${Object.entries(check.where).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")}`
    : "";
  return `${check.on.join(" or ")}${which}${from}${where}`;
}
