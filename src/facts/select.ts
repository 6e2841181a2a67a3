// Does a fact match a selector (a beat's on/program/where, a program's start,
// a lesson's ends_when)? Pure.
import type { FactSelector, WhereValue } from "../lessons/schema.ts";
import type { Fact } from "./types.ts";

/** Name, program and `where:`; `nth:` is the caller's (it needs the beat's history). */
export function selects(selector: FactSelector, fact: Fact): boolean {
  if (fact.fact !== selector.on) return false;
  if (selector.program !== undefined && fact.values.program !== selector.program) return false;
  for (const [field, wanted] of Object.entries(selector.where ?? {})) {
    if (!whereMatches(wanted, fact.values[field] ?? null)) return false;
  }
  return true;
}

function whereMatches(wanted: WhereValue, actual: unknown): boolean {
  return Array.isArray(wanted) ? wanted.some((w) => w === actual) : wanted === actual;
}
