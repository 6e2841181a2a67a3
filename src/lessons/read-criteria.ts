// Reading a judged check: an exercise's criterion, a question's choice. It
// selects facts as a beat does (on, program, where, nth), measures something
// of them (value, sum, max or count of a field; or only that one came) and
// compares it (equals, below, above, at_least, at_most, between) with a
// number or arithmetic on the fact's own fields. Every name is checked
// against the fact vocabulary, with "did you mean", like the rest of the
// lesson file. Pure.
import { isSeq } from "yaml";
import type { FactName } from "../facts/types.ts";
import { factFields, isTextField } from "../facts/vocabulary.ts";
import { type Expression, parseExpression } from "./expression.ts";
import { nearest, readFactName, readNth, readProgramFilter, readWhere } from "./read-facts.ts";
import type { Bound, Check, Comparison, Criterion, Measure } from "./schema.ts";
import { COMPARISONS } from "./comparisons.ts";
import { parseTemplate, type TemplatePart } from "./template.ts";
import {
  child,
  type Ctx,
  deref,
  type Entry,
  lineOf,
  type MapView,
  readList,
  readMap,
  readText,
  report,
  requiredEntry,
  scalarValue,
} from "./yaml-walk.ts";

const MEASURES = ["value", "sum", "max", "count"] as const;
const SELECT_KEYS = ["on", "program", "where", "nth"] as const;
export const CHECK_KEYS = [...SELECT_KEYS, ...MEASURES, ...COMPARISONS, "evidence"] as const;
const CRITERION_KEYS = ["title", "hint", "any", ...CHECK_KEYS] as const;
/** Besides the fact's fields, an evidence text may quote these. */
export const EVIDENCE_EXTRAS = ["expected", "low", "high", "count"] as const;

export function readCriteria(ctx: Ctx, entry: Entry, programs: readonly string[] | null): Criterion[] | null {
  const items = readList(ctx, entry, "a list of criteria (- title: ..., on: <fact>, ...)");
  if (items === null) return null;
  const criteria = items.map((item, index) => {
    const map = readMap(ctx, item, child(entry.field, index), entry.line, CRITERION_KEYS);
    return map === null ? null : readCriterion(ctx, map, index, programs);
  });
  return criteria.every((c) => c !== null) ? criteria : null;
}

function readCriterion(ctx: Ctx, map: MapView, index: number, programs: readonly string[] | null): Criterion | null {
  const titleEntry = requiredEntry(ctx, map, "title", "what the criterion judges, one line: all bytes delivered");
  const title = titleEntry === null ? null : readText(ctx, titleEntry, "one line saying what is judged");
  if (title?.includes("\n")) return report(ctx, titleEntry!.line, titleEntry!.field, "must be one line");
  const hintEntry = map.entries.get("hint");
  const hint = hintEntry === undefined ? undefined : readText(ctx, hintEntry, "a hint shown when it fails");
  const anyEntry = map.entries.get("any");
  let checks: Check[] | null;
  if (anyEntry !== undefined) {
    const own = CHECK_KEYS.filter((k) => map.entries.has(k));
    if (own.length > 0) {
      return report(
        ctx,
        map.entries.get(own[0]!)!.line,
        child(map.field, own[0]!),
        "with any:, each alternative says it: move this into the items of any:",
      );
    }
    checks = readAlternatives(ctx, anyEntry, programs);
  } else {
    const check = readCheck(ctx, map, programs, "the fact this criterion judges");
    checks = check === null ? null : [check];
  }
  if (title === null || hint === null || checks === null) return null;
  return { index, title, checks, hint: hint ?? null };
}

function readAlternatives(ctx: Ctx, entry: Entry, programs: readonly string[] | null): Check[] | null {
  const items = readList(ctx, entry, "a list of checks, any one of which passes the criterion");
  if (items === null) return null;
  const checks = items.map((item, i) => {
    const map = readMap(ctx, item, child(entry.field, i), entry.line, CHECK_KEYS);
    return map === null ? null : readCheck(ctx, map, programs, "the fact this alternative judges");
  });
  return checks.every((c) => c !== null) ? checks : null;
}

/** `on:` a fact name or a list of them (any of them counts; they must have the same fields). */
function readOnList(ctx: Ctx, map: MapView, what: string): FactName[] | null {
  const entry = map.entries.get("on");
  if (entry === undefined) return report(ctx, map.line, child(map.field, "on"), `missing (required: ${what})`);
  if (!isSeq(entry.node)) {
    const one = readFactName(ctx, entry, []);
    return one === null ? null : [one];
  }
  const names = readList(ctx, entry, "a fact name or a list of them");
  if (names === null) return null;
  const read = names.map((node, i) =>
    readFactName(ctx, { node, line: lineOf(ctx, node, entry.line), field: child(entry.field, i) }, [])
  );
  if (!read.every((n) => n !== null)) return null;
  const [first, ...rest] = read as FactName[];
  const fields = factFields(first!).join(",");
  const odd = rest.find((name) => factFields(name).join(",") !== fields);
  if (odd !== undefined) {
    return report(
      ctx,
      entry.line,
      entry.field,
      `"${first}" and "${odd}" have different fields: a list of facts must be of one kind (send.totals, ` +
        "sendall.totals...)",
    );
  }
  return read as FactName[];
}

/** A check: facts (on, program, where, nth), a measure, a comparison, an evidence text. */
export function readCheck(ctx: Ctx, map: MapView, programs: readonly string[] | null, what: string): Check | null {
  const on = readOnList(ctx, map, what);
  const first = on?.[0] ?? null;
  const program = readProgramFilter(ctx, map, first, programs);
  const where = readWhere(ctx, map, first);
  const nth = readNth(ctx, map);
  if (on === null || program === null || where === null || nth === null) return null;
  const measure = readMeasure(ctx, map, first!);
  if (measure === null) return null;
  if (nth !== undefined && (measure.kind === "sum" || measure.kind === "max" || measure.kind === "count")) {
    const entry = map.entries.get("nth")!;
    return report(ctx, entry.line, entry.field, `${measure.kind}: takes every fact selected; nth: does not apply`);
  }
  const comparison = readComparison(ctx, map, first!, measure);
  const evidence = readEvidence(ctx, map, first!);
  if (comparison === null || evidence === null) return null;
  return {
    on,
    ...(program === undefined ? {} : { program }),
    ...(where === undefined ? {} : { where }),
    ...(nth === undefined ? {} : { nth }),
    measure,
    comparison: comparison === undefined ? null : comparison,
    evidence: evidence === undefined ? null : evidence,
  };
}

function readMeasure(ctx: Ctx, map: MapView, on: FactName): Measure | null {
  const given = MEASURES.filter((m) => map.entries.has(m));
  if (given.length > 1) {
    const second = map.entries.get(given[1]!)!;
    return report(ctx, second.line, second.field, `one of ${MEASURES.join(", ")}, not both ${given.join(" and ")}`);
  }
  const kind = given[0];
  if (kind === undefined) return { kind: "happened" };
  const entry = map.entries.get(kind)!;
  if (kind === "count") {
    if (scalarValue(entry) !== true) {
      return report(ctx, entry.line, entry.field, "write count: true (the number of facts selected is compared)");
    }
    return { kind: "count" };
  }
  const field = scalarValue(entry);
  const fields = factFields(on);
  if (typeof field !== "string" || !fields.includes(field)) {
    const near = typeof field === "string" ? nearest(field, fields) : null;
    const shown = typeof field === "string" ? `"${field}"` : "this";
    return report(
      ctx,
      entry.line,
      entry.field,
      `${shown} is not a field of "${on}"${near ? ` (did you mean "${near}"?)` : ""} (fields: ${fields.join(", ")})`,
    );
  }
  if (kind !== "value" && isTextField(field)) {
    return report(ctx, entry.line, entry.field, `"${field}" is text: ${kind}: needs a number field`);
  }
  return { kind, field };
}

/** undefined: no comparison given (only right for "happened"); null: an error was reported. */
function readComparison(ctx: Ctx, map: MapView, on: FactName, measure: Measure): Comparison | null | undefined {
  const given = COMPARISONS.filter((c) => map.entries.has(c));
  if (measure.kind === "happened") {
    if (given.length === 0) return undefined;
    const entry = map.entries.get(given[0]!)!;
    return report(
      ctx,
      entry.line,
      entry.field,
      `compares a measure: add value: <field> (or sum:, max:, count: true) to say what is compared`,
    );
  }
  if (given.length !== 1) {
    const line = given.length > 1 ? map.entries.get(given[1]!)!.line : map.line;
    return report(ctx, line, map.field, `needs one comparison: ${COMPARISONS.join(", ")}`);
  }
  const op = given[0]!;
  const entry = map.entries.get(op)!;
  const numbers = factFields(on).filter((f) => !isTextField(f));
  const expression = (node: unknown, field: string, line: number): Expression | null =>
    readExpression(ctx, { node, field, line }, numbers);
  if (op === "between") {
    const items = isSeq(entry.node) ? entry.node.items.map((i) => deref(ctx, i)) : null;
    if (items === null || items.length !== 2) {
      return report(ctx, entry.line, entry.field, "must be two bounds, low and high: between: [1500, 2500]");
    }
    const low = expression(items[0], child(entry.field, 0), lineOf(ctx, items[0], entry.line));
    const high = expression(items[1], child(entry.field, 1), lineOf(ctx, items[1], entry.line));
    return low === null || high === null ? null : { op, low, high };
  }
  const textual = measure.kind === "value" && (isTextField(measure.field) || isBooleanValue(entry));
  if (textual) {
    const value = scalarValue(entry);
    if (op !== "equals" || (typeof value !== "string" && typeof value !== "boolean")) {
      return report(
        ctx,
        entry.line,
        entry.field,
        `"${measure.kind === "value" ? measure.field : ""}" is compared with equals: <text or true/false>`,
      );
    }
    return { op, bound: { kind: "literal", value } satisfies Bound };
  }
  const parsed = expression(entry.node, entry.field, entry.line);
  return parsed === null ? null : { op, bound: { kind: "expression", expression: parsed } };
}

function isBooleanValue(entry: Entry): boolean {
  return typeof scalarValue(entry) === "boolean";
}

function readExpression(ctx: Ctx, entry: Entry, numbers: readonly string[]): Expression | null {
  const value = scalarValue(entry);
  if (typeof value === "number" && Number.isFinite(value)) return { kind: "number", value };
  if (typeof value !== "string") {
    return report(ctx, entry.line, entry.field, "must be a number or an expression of fields: 0.5 * wall_ms");
  }
  const parsed = parseExpression(value, numbers, (name) => nearest(name, numbers));
  if (!parsed.ok) return report(ctx, entry.line, entry.field, parsed.message);
  return parsed.expression;
}

/** undefined: none given; null: an error was reported. */
function readEvidence(ctx: Ctx, map: MapView, on: FactName): readonly TemplatePart[] | null | undefined {
  const entry = map.entries.get("evidence");
  if (entry === undefined) return undefined;
  const text = readText(ctx, entry, "the evidence, a template like {received|bytes} of {expected|bytes}");
  if (text === null) return null;
  const result = parseTemplate(text, [...factFields(on), ...EVIDENCE_EXTRAS]);
  if (!result.ok) return report(ctx, entry.line, entry.field, result.error.message);
  return result.parts;
}

const CONDITION_KEYS = ["value", ...COMPARISONS] as const;

/**
 * A question's choice's `when:` (value: <field>, and a comparison), judged on
 * the beat's own fact: a check of that one fact.
 */
export function readCondition(ctx: Ctx, entry: Entry, on: FactName): Check | null {
  const map = readMap(ctx, entry.node, entry.field, entry.line, CONDITION_KEYS);
  if (map === null) return null;
  if (!map.entries.has("value")) {
    return report(
      ctx,
      map.line,
      child(map.field, "value"),
      "missing (required: the field of the beat's fact compared)",
    );
  }
  const measure = readMeasure(ctx, map, on);
  if (measure === null) return null;
  const comparison = readComparison(ctx, map, on, measure);
  if (comparison === null || comparison === undefined) return null;
  return { on: [on], measure, comparison, evidence: null };
}
