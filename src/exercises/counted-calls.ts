// Which calls a check's tracer must take the kernel's counts of: those whose
// <call>.totals a criterion judges by sleeps or cpu_ms. Hot lines are
// otherwise summarised without them (the cost of two getrusage calls per
// call), and "never asleep inside send()" cannot be judged on a total that
// is unknown. Pure.
import { fieldsOf } from "../lessons/expression.ts";
import type { Bound, Check, Exercise } from "../lessons/schema.ts";

const KERNEL_COUNTS: ReadonlySet<string> = new Set(["sleeps", "cpu_ms", "asleep_ms"]);

export function countedCalls(exercise: Exercise): Map<string, string[]> {
  const byProgram = new Map<string, Set<string>>();
  const checks = exercise.criteria.flatMap((c) => c.checks);
  for (const check of checks) {
    if (!usesKernelCounts(check)) continue;
    const calls = check.on.filter((on) => on.endsWith(".totals")).map((on) => on.slice(0, -".totals".length));
    const programs = check.program ? [check.program] : exercise.programs.map((p) => p.name);
    for (const program of programs) {
      const set = byProgram.get(program) ?? new Set<string>();
      for (const call of calls) set.add(call);
      byProgram.set(program, set);
    }
  }
  return new Map([...byProgram].map(([program, calls]) => [program, [...calls].sort()]));
}

function usesKernelCounts(check: Check): boolean {
  const fields = "field" in check.measure ? [check.measure.field] : [];
  const c = check.comparison;
  const bounds = c === null
    ? []
    : c.op === "between"
    ? [...fieldsOf(c.low), ...fieldsOf(c.high)]
    : boundFields(c.bound);
  return [...fields, ...bounds].some((f) => KERNEL_COUNTS.has(f));
}

function boundFields(bound: Bound): string[] {
  return bound.kind === "expression" ? fieldsOf(bound.expression) : [];
}
