// Reading a lesson file's `knobs:`: the settings a learner may change, each
// with its range, default and the environment variable the programs read.
// Pure; lessons/knobs.ts applies them.
import { KNOB_UNITS, type KnobSpec, type KnobUnit } from "./knobs.ts";
import {
  child,
  type Ctx,
  type Entry,
  lineOf,
  type MapView,
  readList,
  readMap,
  readRequiredText,
  report,
  requiredEntry,
  scalarValue,
} from "./yaml-walk.ts";

const KNOB_NAME = /^[a-z][a-z0-9_]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KNOB_KEYS = ["name", "title", "unit", "min", "max", "default", "env"] as const;
/** What a run sets itself: a knob must not take them over. */
const RESERVED_ENV = ["PORT", "PYTHONDONTWRITEBYTECODE", "PATH", "PYTHONPATH", "HOME"];
export const MAX_KNOBS = 8;
/** Beyond this, a number stops being exact in JavaScript; no knob needs more. */
const MAX_KNOB_VALUE = Number.MAX_SAFE_INTEGER;

/** `knobs:` absent: none. null: an error was reported. */
export function readKnobs(ctx: Ctx, top: MapView): KnobSpec[] | null {
  const entry = top.entries.get("knobs");
  if (entry === undefined) return [];
  const items = readList(ctx, entry, "a list of knobs (- name: ..., min: ..., max: ..., env: ...)");
  if (items === null) return null;
  if (items.length > MAX_KNOBS) {
    return report(ctx, lineOf(ctx, items[MAX_KNOBS], entry.line), entry.field, `at most ${MAX_KNOBS} knobs`);
  }
  const knobs = items.map((item, i) => readKnob(ctx, item, child(entry.field, i), entry.line));
  if (!knobs.every((k) => k !== null)) return null;
  return checkUnique(ctx, knobs, items, entry) ? knobs : null;
}

function readKnob(ctx: Ctx, node: unknown, field: string, fallbackLine: number): KnobSpec | null {
  const map = readMap(ctx, node, field, fallbackLine, KNOB_KEYS);
  if (map === null) return null;
  const name = readName(ctx, map);
  const title = readRequiredText(ctx, map, "title", "what the knob changes, one line");
  if (title?.includes("\n")) report(ctx, map.entries.get("title")!.line, child(field, "title"), "must be one line");
  const unit = readUnit(ctx, map);
  const min = readWhole(ctx, map, "min", true);
  const max = readWhole(ctx, map, "max", true);
  const dflt = map.entries.has("default") ? readWhole(ctx, map, "default", false) : undefined;
  const env = readEnvName(ctx, map);
  if (
    name === null || title === null || title.includes("\n") || unit === null || min === null || max === null ||
    dflt === null || env === null
  ) return null;
  if (min > max) return report(ctx, map.entries.get("max")!.line, child(field, "max"), `${max} is below min ${min}`);
  if (dflt !== undefined && (dflt < min || dflt > max)) {
    return report(
      ctx,
      map.entries.get("default")!.line,
      child(field, "default"),
      `${dflt} is outside min..max (${min}..${max})`,
    );
  }
  return { name, title, unit, min, max, default: dflt ?? null, env };
}

function readName(ctx: Ctx, map: MapView): string | null {
  const what = "a name like sndbuf or reader_delay ([a-z][a-z0-9_]*)";
  const entry = requiredEntry(ctx, map, "name", what);
  if (entry === null) return null;
  const value = scalarValue(entry);
  if (typeof value === "string" && KNOB_NAME.test(value)) return value;
  const shown = typeof value === "string" ? `"${value}"` : "this";
  return report(ctx, entry.line, entry.field, `${shown} is not a valid knob name: use ${what}`);
}

function readUnit(ctx: Ctx, map: MapView): KnobUnit | null {
  const entry = requiredEntry(ctx, map, "unit", KNOB_UNITS.join(", "));
  if (entry === null) return null;
  const value = scalarValue(entry);
  const unit = KNOB_UNITS.find((u) => u === value);
  if (unit !== undefined) return unit;
  return report(
    ctx,
    entry.line,
    entry.field,
    `unknown unit ${JSON.stringify(value)} (units: ${KNOB_UNITS.join(", ")})`,
  );
}

function readWhole(ctx: Ctx, map: MapView, key: string, required: boolean): number | null {
  const entry: Entry | null | undefined = required
    ? requiredEntry(ctx, map, key, "a whole number")
    : map.entries.get(key);
  if (entry === null || entry === undefined) return null;
  const value = scalarValue(entry);
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_KNOB_VALUE) return value;
  return report(ctx, entry.line, entry.field, `must be a whole number, 0 or more (not ${JSON.stringify(value)})`);
}

function readEnvName(ctx: Ctx, map: MapView): string | null {
  const what = "the environment variable the programs read it from, like SNDBUF";
  const entry = requiredEntry(ctx, map, "env", what);
  if (entry === null) return null;
  const value = scalarValue(entry);
  if (typeof value !== "string" || !ENV_NAME.test(value)) {
    return report(ctx, entry.line, entry.field, `must be ${what} ([A-Za-z_][A-Za-z0-9_]*)`);
  }
  if (RESERVED_ENV.includes(value)) {
    return report(ctx, entry.line, entry.field, `${value} is set by socket-lessons itself: choose another name`);
  }
  return value;
}

function checkUnique(ctx: Ctx, knobs: readonly KnobSpec[], items: readonly unknown[], entry: Entry): boolean {
  let ok = true;
  for (const [i, knob] of knobs.entries()) {
    const first = knobs.findIndex((k) => k.name === knob.name || k.env === knob.env);
    if (first === i) continue;
    ok = false;
    const what = knobs[first]!.name === knob.name ? `name "${knob.name}"` : `env ${knob.env}`;
    report(ctx, lineOf(ctx, items[i], entry.line), child(entry.field, i), `duplicate ${what} (also knobs[${first}])`);
  }
  return ok;
}
