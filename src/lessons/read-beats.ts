// Reading a lesson file's `beats:` and `ends_when:`. A beat names the fact
// that unlocks it (on, program, where, nth), a text filled from that fact's
// fields, and what to tell instead on a machine that cannot see the fact. Pure.
import { isScalar, isSeq } from "yaml";
import { CALL_NAMES, isCallName } from "../trace/registry.ts";
import type { FactName } from "../facts/types.ts";
import { factFields, factNeeds, isTextField } from "../facts/vocabulary.ts";
import { readFactName, readNth, readSelector } from "./read-facts.ts";
import { readQuestion } from "./read-question.ts";
import { readShow } from "./read-show.ts";
import type { Beat, BeatInstead, FactSelector, HoldSpec, Lesson, RecapLine } from "./schema.ts";
import { parseTemplate, type TemplatePart } from "./template.ts";
import {
  child,
  type Ctx,
  type Entry,
  type MapView,
  readList,
  readMap,
  readOptionalText,
  readText,
  report,
  requiredEntry,
  scalarValue,
} from "./yaml-walk.ts";

const BEAT_KEYS = ["on", "program", "where", "nth", "title", "text", "instead", "hold", "show", "ask"] as const;
const HOLD_KEYS = ["program", "before", "after", "nth", "from"] as const;
const FROM_KEYS = ["on", "program", "where"] as const;
const INSTEAD_KEYS = ["on", "where", "nth", "title", "text"] as const;
const ENDS_WHEN_KEYS = ["on", "program", "where", "nth"] as const;

export function readBeats(ctx: Ctx, top: MapView, programs: readonly string[] | null): Beat[] | null {
  const entry = requiredEntry(ctx, top, "beats", "the list of beats (- on: <fact>, text: ...)");
  if (entry === null) return null;
  const items = readList(ctx, entry, "a list of beats (- on: <fact>, text: ...)");
  if (items === null) return null;
  const beats = items.map((item, i) => readBeat(ctx, item, i, child(entry.field, i), entry.line, programs));
  return beats.every((b) => b !== null) ? beats : null;
}

function readBeat(
  ctx: Ctx,
  node: unknown,
  index: number,
  field: string,
  fallbackLine: number,
  programs: readonly string[] | null,
): Beat | null {
  const map = readMap(ctx, node, field, fallbackLine, BEAT_KEYS);
  if (map === null) return null;
  const selector = readSelector(ctx, map, programs, "the fact that unlocks this beat");
  const title = readOptionalText(ctx, map, "title", "a short heading");
  const template = readBeatText(ctx, map, selector?.on ?? onOf(map));
  const titleFailed = title === null && map.entries.has("title");
  const insteadEntry = map.entries.get("instead");
  const instead = insteadEntry === undefined ? undefined : readInstead(ctx, insteadEntry);
  const holdEntry = map.entries.get("hold");
  const holds = holdEntry === undefined ? undefined : readHolds(ctx, holdEntry, programs);
  const showEntry = map.entries.get("show");
  const show = showEntry === undefined ? undefined : readShow(ctx, showEntry, programs);
  const askEntry = map.entries.get("ask");
  const ask = askEntry === undefined ? undefined : readQuestion(ctx, askEntry, selector?.on ?? onOf(map));
  if (
    selector === null || titleFailed || template === null || instead === null || holds === null || show === null ||
    ask === null
  ) return null;
  return {
    index,
    ...selector,
    ...(title === null ? {} : { title }),
    template,
    ...(instead === undefined ? {} : { instead }),
    ...(holds === undefined ? {} : { holds }),
    ...(show === undefined ? {} : { show }),
    ...(ask === undefined ? {} : { ask }),
  };
}

/** The fact named by on:, when valid, so the text's fields are still checked after another error. */
function onOf(map: MapView): FactName | null {
  const entry = map.entries.get("on");
  const value = entry && isScalar(entry.node) ? entry.node.value : null;
  return typeof value === "string" && factFields(value).length > 0 ? value : null;
}

/** A beat's `instead:` (on, where, nth, title, text) for the same program; null: an error was reported. */
function readInstead(ctx: Ctx, entry: Entry): BeatInstead | null {
  const map = readMap(ctx, entry.node, entry.field, entry.line, INSTEAD_KEYS);
  if (map === null) return null;
  const selector = readSelector(ctx, map, null, "the fact the trace can show instead");
  const title = readOptionalText(ctx, map, "title", "a short heading");
  const template = readBeatText(ctx, map, selector?.on ?? onOf(map));
  if (selector === null || template === null || (title === null && map.entries.has("title"))) return null;
  const { program: _ignored, ...rest } = selector;
  return { ...rest, ...(title === null ? {} : { title }), template };
}

const RECAP_KEYS = ["on", "program", "where", "nth", "text"] as const;

/** `recap:` a list of {on, program, where, nth, text}; absent: none. */
export function readRecap(ctx: Ctx, top: MapView, programs: readonly string[] | null): RecapLine[] | null {
  const entry = top.entries.get("recap");
  if (entry === undefined) return [];
  const items = readList(ctx, entry, "a list of lines (- on: <fact>, text: ...)");
  if (items === null) return null;
  const lines = items.map((item, index) => {
    const map = readMap(ctx, item, child(entry.field, index), entry.line, RECAP_KEYS);
    if (map === null) return null;
    const selector = readSelector(ctx, map, programs, "the fact this line quotes");
    const template = readBeatText(ctx, map, selector?.on ?? onOf(map));
    return selector === null || template === null ? null : { index, ...selector, template };
  });
  return lines.every((l) => l !== null) ? lines : null;
}

/** `hold:` one mapping or a list of them: program, before|after (a call), nth. */
function readHolds(ctx: Ctx, entry: Entry, programs: readonly string[] | null): HoldSpec[] | null {
  const items = isSeq(entry.node) ? readList(ctx, entry, "a list of holds") : [entry.node];
  if (items === null) return null;
  const holds = items.map((item, i) =>
    readHold(ctx, item, isSeq(entry.node) ? child(entry.field, i) : entry.field, entry.line, programs)
  );
  return holds.every((h) => h !== null) ? holds : null;
}

function readHold(
  ctx: Ctx,
  node: unknown,
  field: string,
  fallbackLine: number,
  programs: readonly string[] | null,
): HoldSpec | null {
  const map = readMap(ctx, node, field, fallbackLine, HOLD_KEYS);
  if (map === null) return null;
  const programEntry = requiredEntry(ctx, map, "program", "the program to hold");
  const program = programEntry === null ? null : scalarValue(programEntry);
  if (programEntry !== null && (typeof program !== "string" || (programs !== null && !programs.includes(program)))) {
    const shown = typeof program === "string" ? `"${program}"` : "this";
    return report(
      ctx,
      programEntry.line,
      programEntry.field,
      `${shown} is not a program of this lesson (programs: ${programs?.join(", ")})`,
    );
  }
  const whens = (["before", "after"] as const).filter((w) => map.entries.has(w));
  if (whens.length !== 1) {
    return report(
      ctx,
      map.line,
      map.field,
      "needs one of before: <call> (hold it before the call) or after: <call> (after it returns)",
    );
  }
  const when = whens[0]!;
  const callEntry = map.entries.get(when)!;
  const call = scalarValue(callEntry);
  if (typeof call !== "string" || !isCallName(call)) {
    return report(
      ctx,
      callEntry.line,
      callEntry.field,
      `${JSON.stringify(call)} is not a traced call (calls: ${CALL_NAMES.join(", ")})`,
    );
  }
  const nth = readNth(ctx, map);
  const fromEntry = map.entries.get("from");
  const from = fromEntry === undefined ? undefined : readFrom(ctx, fromEntry, programs);
  if (nth === null || programEntry === null || from === null) return null;
  if (nth === "last") {
    return report(
      ctx,
      map.entries.get("nth")!.line,
      child(map.field, "nth"),
      "a hold needs a call's number, not last: it is not known until the program ends",
    );
  }
  if (nth !== undefined && from !== undefined) {
    return report(
      ctx,
      fromEntry!.line,
      fromEntry!.field,
      "a hold with nth: is armed from the start; from: does not apply",
    );
  }
  return {
    program: program as string,
    when,
    call,
    ...(nth === undefined ? {} : { nth }),
    ...(from === undefined ? {} : { from }),
  };
}

/** `from:` a fact name, or {on, program, where}: when a hold is armed. */
function readFrom(ctx: Ctx, entry: Entry, programs: readonly string[] | null): FactSelector | null {
  if (isScalar(entry.node)) {
    const on = readFactName(ctx, entry, []);
    return on === null ? null : { on };
  }
  const map = readMap(ctx, entry.node, entry.field, entry.line, FROM_KEYS);
  return map === null ? null : readSelector(ctx, map, programs, "the fact that arms the hold");
}

/** `ends_when: all-exited` (the default), a fact name, or {on, program, where}. */
export function readEndsWhen(
  ctx: Ctx,
  top: MapView,
  programs: readonly string[] | null,
): Lesson["endsWhen"] | null {
  const entry = top.entries.get("ends_when");
  if (entry === undefined) return "all-exited";
  let selector: FactSelector | null;
  if (isScalar(entry.node)) {
    if (entry.node.value === "all-exited") return "all-exited";
    const on = readFactName(ctx, entry, ["all-exited"]);
    selector = on === null ? null : { on };
  } else {
    const map = readMap(ctx, entry.node, entry.field, entry.line, ENDS_WHEN_KEYS);
    selector = map === null ? null : readSelector(ctx, map, programs, "the fact that ends the lesson");
    if (selector?.nth === "last") {
      return report(ctx, map!.entries.get("nth")!.line, child(entry.field, "nth"), "the end needs a number, not last");
    }
  }
  // A fact only the kernel shows would leave the lesson running until its
  // timeout on a machine without /proc: the end must rest on the trace.
  if (selector !== null && factNeeds(selector.on).length > 0) {
    return report(
      ctx,
      entry.line,
      entry.field,
      `"${selector.on}" needs ${
        factNeeds(selector.on).join(" and ")
      }, which not every machine shows: end on a fact the trace shows`,
    );
  }
  return selector;
}

function readBeatText(ctx: Ctx, map: MapView, on: FactName | null): readonly TemplatePart[] | null {
  const entry = requiredEntry(ctx, map, "text", "the beat's text");
  if (entry === null) return null;
  const text = readText(ctx, entry, "the beat's text");
  if (text === null) return null;
  // Without a valid fact the fields are unknown; still report brace mistakes.
  const result = parseTemplate(text, on === null ? undefined : factFields(on), ctx.knobNames ?? undefined);
  if (!result.ok) {
    const line = placeholderLine(ctx, entry, text, result.error.placeholder, result.error.offset);
    return report(ctx, line, entry.field, result.error.message);
  }
  const misformatted = result.parts.find((p) => p.kind === "field" && p.format !== null && isTextField(p.field));
  if (misformatted?.kind === "field") {
    const at = text.search(new RegExp(`\\{\\s*${misformatted.field}\\s*\\|`));
    const placeholder = text.slice(at, text.indexOf("}", at) + 1);
    return report(
      ctx,
      placeholderLine(ctx, entry, text, placeholder, at),
      entry.field,
      `${placeholder}: "${misformatted.field}" is text, not a number, so it takes no format: write {${misformatted.field}}`,
    );
  }
  return result.parts;
}

/**
 * The line of the offending placeholder inside a multi-line text, found by
 * looking for the same occurrence of it in the source; the value's first line
 * if YAML escaping or folding hides it.
 */
function placeholderLine(ctx: Ctx, entry: Entry, text: string, placeholder: string, offset: number): number {
  const range = (entry.node as { range?: readonly number[] }).range;
  if (range?.[0] === undefined || range[1] === undefined) return entry.line;
  const source = ctx.input.text.slice(range[0], range[1]);
  const occurrence = text.slice(0, offset).split(placeholder).length - 1;
  let found = -1;
  for (let n = 0; n <= occurrence; n++) {
    found = source.indexOf(placeholder, found + 1);
    if (found < 0) return entry.line;
  }
  return ctx.lines.linePos(range[0] + found).line;
}
