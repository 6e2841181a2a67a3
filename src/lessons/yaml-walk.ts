// Walking a lesson file's YAML tree: every value keeps its line so errors can
// point at it. Shared by the readers of the lesson's parts. Pure.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter } from "yaml";
import type { FileExists, LessonError, LessonInput } from "./schema.ts";

export interface Ctx {
  readonly input: LessonInput;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly fileExists: FileExists;
  readonly errors: LessonError[];
  /** The lesson's knobs, which texts may name; null or absent: not checked (unknown yet, or broken). */
  readonly knobNames?: readonly string[] | null;
}

/** A key's value (null when the key is present but empty) and where it is. */
export interface Entry {
  readonly node: unknown;
  readonly line: number;
  readonly field: string;
}

export interface MapView {
  readonly line: number;
  readonly field: string;
  readonly entries: ReadonlyMap<string, Entry>;
}

export function at(ctx: Ctx, line: number, field: string, message: string): LessonError {
  return { file: ctx.input.displayFile, line, field, message };
}

export function report(ctx: Ctx, line: number, field: string, message: string): null {
  ctx.errors.push(at(ctx, line, field, message));
  return null;
}

export function lineOf(ctx: Ctx, node: unknown, fallback: number): number {
  const range = (node as { range?: readonly number[] } | null)?.range;
  return range?.[0] === undefined ? fallback : ctx.lines.linePos(range[0]).line;
}

/** Anchors and aliases are valid YAML; follow them to the node they name. */
export function deref(ctx: Ctx, node: unknown): unknown {
  return isAlias(node) ? (node.resolve(ctx.doc) ?? null) : node;
}

export function child(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

export function readMap(
  ctx: Ctx,
  node: unknown,
  field: string,
  fallbackLine: number,
  known: readonly string[],
): MapView | null {
  const map = deref(ctx, node);
  const line = lineOf(ctx, map, fallbackLine);
  if (!isMap(map)) return report(ctx, line, field, "must be a mapping of key: value lines");
  const entries = new Map<string, Entry>();
  for (const pair of map.items) {
    const key = deref(ctx, pair.key);
    const keyLine = lineOf(ctx, key, line);
    if (!isScalar(key) || typeof key.value !== "string") {
      report(ctx, keyLine, field, "keys must be plain names");
      continue;
    }
    const name = key.value;
    if (!known.includes(name)) {
      report(ctx, keyLine, child(field, name), `unknown key "${name}" (known: ${known.join(", ")})`);
      continue;
    }
    const value = deref(ctx, pair.value);
    entries.set(name, { node: value, line: lineOf(ctx, value, keyLine), field: child(field, name) });
  }
  return { line, field, entries };
}

export function scalarValue(entry: Entry): unknown {
  return isScalar(entry.node) ? entry.node.value : entry.node === null ? null : undefined;
}

export function requiredEntry(ctx: Ctx, map: MapView, key: string, what: string): Entry | null {
  const entry = map.entries.get(key);
  if (entry === undefined) return report(ctx, map.line, child(map.field, key), `missing (required: ${what})`);
  return entry;
}

/** A string that must say something; `what` tells the author what is expected. */
export function readText(ctx: Ctx, entry: Entry, what: string): string | null {
  const value = scalarValue(entry);
  if (typeof value !== "string") {
    return report(ctx, entry.line, entry.field, value === null ? `is empty (expected ${what})` : `must be ${what}`);
  }
  // Block scalars (`|`) end in a newline the renderers add themselves.
  const text = value.replace(/\s+$/, "");
  if (!text) return report(ctx, entry.line, entry.field, `is empty (expected ${what})`);
  return text;
}

export function readOptionalText(ctx: Ctx, map: MapView, key: string, what: string): string | null {
  const entry = map.entries.get(key);
  return entry === undefined ? null : readText(ctx, entry, what);
}

/** A sequence with at least one item. */
export function readList(ctx: Ctx, entry: Entry, what: string): readonly unknown[] | null {
  if (!isSeq(entry.node)) return report(ctx, entry.line, entry.field, `must be ${what}`);
  if (entry.node.items.length === 0) return report(ctx, entry.line, entry.field, `must not be empty: ${what}`);
  return entry.node.items.map((item) => deref(ctx, item));
}

export function readRequiredText(ctx: Ctx, map: MapView, key: string, what: string): string | null {
  const entry = requiredEntry(ctx, map, key, what);
  return entry === null ? null : readText(ctx, entry, what);
}
