// Reading the parts of a lesson file that name facts: a beat's `on:` with its
// `program:`, `where:` and `nth:`, a program's `start:`, `ends_when:`. Every
// name is checked against the fact vocabulary (src/facts/vocabulary.ts), so a
// typo is a file:line error when the lesson loads, never a beat that waits
// forever. Pure.
import { isMap, isScalar, isSeq } from "yaml";
import {
  FACT_NAMES,
  factFields,
  factHasProgram,
  fieldSpec,
  isFactName,
  knownFactsSummary,
} from "../facts/vocabulary.ts";
import type { FactName } from "../facts/types.ts";
import type { FactSelector, WhereScalar, WhereValue } from "./schema.ts";
import { child, type Ctx, deref, type Entry, lineOf, type MapView, report, scalarValue } from "./yaml-walk.ts";
import { nearest } from "../text/nearest.ts";

export { nearest };

export function readFactName(ctx: Ctx, entry: Entry, extra: readonly string[]): FactName | null {
  const value = scalarValue(entry);
  if (typeof value === "string" && isFactName(value)) return value;
  const known = [...extra.map((e) => `${e}, `), knownFactsSummary()].join("");
  if (typeof value !== "string") return report(ctx, entry.line, entry.field, `must be a fact name (known: ${known})`);
  const near = nearest(value, [...extra, ...FACT_NAMES]);
  const hint = near ? ` (did you mean "${near}"?)` : "";
  return report(ctx, entry.line, entry.field, `unknown fact "${value}"${hint} (known: ${known})`);
}

/** undefined: no filter; null: an error was reported. */
export function readProgramFilter(
  ctx: Ctx,
  map: MapView,
  on: FactName | null,
  programs: readonly string[] | null,
): string | null | undefined {
  const entry = map.entries.get("program");
  if (entry === undefined) return undefined;
  const value = scalarValue(entry);
  if (typeof value !== "string") return report(ctx, entry.line, entry.field, "must be a program name");
  if (programs !== null && !programs.includes(value)) {
    return report(
      ctx,
      entry.line,
      entry.field,
      `"${value}" is not a program of this lesson (programs: ${programs.join(", ")})`,
    );
  }
  if (on !== null && !factHasProgram(on)) {
    return report(ctx, entry.line, entry.field, `"${on}" belongs to no single program, so program: cannot apply`);
  }
  return value;
}

/** `where: {field: value}`: each field must be one the fact has; a list means any of its values. */
export function readWhere(ctx: Ctx, map: MapView, on: FactName | null): FactSelector["where"] | null | undefined {
  const entry = map.entries.get("where");
  if (entry === undefined) return undefined;
  if (!isMap(entry.node)) return report(ctx, entry.line, entry.field, "must be a mapping of field: value");
  const fields = on === null ? null : factFields(on);
  const where: Record<string, WhereValue> = {};
  let ok = true;
  for (const pair of entry.node.items) {
    const key = deref(ctx, pair.key);
    const name = isScalar(key) ? String(key.value) : "";
    const line = lineOf(ctx, key, entry.line);
    if (fields !== null && !fields.includes(name)) {
      ok = false;
      const near = nearest(name, fields);
      report(
        ctx,
        line,
        child(entry.field, name),
        `"${on}" has no field "${name}"${near ? ` (did you mean "${near}"?)` : ""} (fields: ${fields.join(", ")})`,
      );
      continue;
    }
    const value = readWhereValue(ctx, deref(ctx, pair.value));
    const allowed = on === null ? undefined : fieldSpec(on, name)?.values;
    const stray = value === undefined ? [] : [value].flat().filter((v) => allowed && !allowed.includes(String(v)));
    if (value === undefined) {
      ok = false;
      report(ctx, line, child(entry.field, name), "must be a value (text, number, true/false, null) or a list of them");
    } else if (stray.length > 0) {
      ok = false;
      const near = nearest(String(stray[0]), allowed!);
      report(
        ctx,
        line,
        child(entry.field, name),
        `${JSON.stringify(stray[0])} is not a value of ${name}${near ? ` (did you mean "${near}"?)` : ""} (values: ${
          allowed!.join(", ")
        })`,
      );
    } else {
      where[name] = value;
    }
  }
  return ok ? where : null;
}

function readWhereValue(ctx: Ctx, node: unknown): WhereValue | undefined {
  const scalar = (n: unknown): WhereScalar | undefined => {
    if (n === null) return null;
    if (!isScalar(n)) return undefined;
    const v = n.value;
    return v === null || ["string", "number", "boolean"].includes(typeof v) ? (v as WhereScalar) : undefined;
  };
  if (isSeq(node)) {
    const values = node.items.map((item) => scalar(deref(ctx, item)));
    return values.some((v) => v === undefined) ? undefined : (values as WhereScalar[]);
  }
  return scalar(node);
}

/** `nth: 2` or `nth: last`. */
export function readNth(ctx: Ctx, map: MapView): FactSelector["nth"] | null | undefined {
  const entry = map.entries.get("nth");
  if (entry === undefined) return undefined;
  const value = scalarValue(entry);
  if (value === "last") return "last";
  if (typeof value === "number" && Number.isInteger(value) && value >= 1) return value;
  return report(ctx, entry.line, entry.field, 'must be a whole number from 1 (the first) or "last"');
}

/**
 * A fact selector written as a mapping (on, program, where, nth); `on:`
 * names the fact. `what` says what it is for, in the error for a missing on.
 */
export function readSelector(
  ctx: Ctx,
  map: MapView,
  programs: readonly string[] | null,
  what: string,
): FactSelector | null {
  const onEntry = map.entries.get("on");
  if (onEntry === undefined) return report(ctx, map.line, child(map.field, "on"), `missing (required: ${what})`);
  const on = readFactName(ctx, onEntry, []);
  const program = readProgramFilter(ctx, map, on, programs);
  const where = readWhere(ctx, map, on);
  const nth = readNth(ctx, map);
  if (on === null || program === null || where === null || nth === null) return null;
  return {
    on,
    ...(program === undefined ? {} : { program }),
    ...(where === undefined ? {} : { where }),
    ...(nth === undefined ? {} : { nth }),
  };
}
