/**
 * The lesson file: `lessons/<id>/lesson.yaml` (or `lesson.yml`), beside the
 * Python programs it runs. The folder name is the lesson id.
 *
 * ```yaml
 * title: Blocking send            # required, non-empty string
 * summary: One line for the menu. # required, non-empty, one line
 * order: 1                        # optional number: menu order; lessons without
 *                                 #   one come after, ties and the rest by id
 * port_note: |                    # optional text: what the Python 3 port changed
 *   ...                           #   from the tutorial, shown at the start
 * programs:                       # required, 1..4 entries, started in this order
 *   - name: server                # required, [a-z][a-z0-9-]*, unique in the lesson
 *     file: block_server.py       # required: a *.py file name (not a path) in
 *                                 #   the lesson folder; exact case
 *     role: server                # optional free text shown in the UI
 *     start: at-once              # optional, default "at-once"; or a fact name:
 *                                 #   start when that fact arrives. The first
 *                                 #   program must start at-once.
 *     after: server               # optional, only with a fact start: only that
 *                                 #   program's fact counts (not itself; no cycles;
 *                                 #   not for facts without a program, data.lost)
 *     env: { STOP_AFTER_S: "2" }  # optional; names [A-Za-z_][A-Za-z0-9_]*, values
 *                                 #   must be strings (quote numbers)
 * ends_when: all-exited           # optional: "all-exited" (default) or a fact
 *                                 #   name: the runner then stops the rest
 * beats:                          # required, at least 1, in teaching order
 *   - on: accept.waiting          # required: a fact name (FACT_NAMES)
 *     program: server             # optional: only this program's facts (a declared
 *                                 #   name; not for facts without a program)
 *     title: The server waits     # optional short heading
 *     text: |                     # required template, trailing blank lines dropped
 *       The server called accept() on line {line} and the kernel put it to sleep.
 *     instead:                    # optional: on a machine that cannot observe `on`
 *       on: send.waiting          #   (no /proc, hidden syscall), this fact and text,
 *       title: Still in send()    #   for the same program; the narration says the
 *       text: ...                 #   original could not be observed here
 * ```
 *
 * Templates: `{field}` or `{field|format}`; the field must be one FACT_FIELDS
 * lists for the beat's fact; formats: bytes (136,314,880 bytes), size (4.0 MiB),
 * ms (2,101 ms), count (12,345). `{{` and `}}` are literal braces; a lone `}`
 * is an error. A value the run did not measure shows as "unknown".
 *
 * Any key not listed above is an error, so a misspelt `ends_whn:` is reported
 * instead of silently ignored. Every error carries the line of the offending
 * value (of the enclosing item when a required key is missing).
 *
 * Pure: no node:* imports, so the same checks run under Node, Deno and in tests.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLError } from "yaml";
import { FACT_FIELDS, FACT_NAMES, type FactName } from "../facts/types.ts";
import { parseTemplate, type TemplatePart } from "./template.ts";

export interface Lesson {
  /** The folder name. */
  readonly id: string;
  /** Absolute path of the lesson folder. */
  readonly dir: string;
  /** Absolute path of the lesson file. */
  readonly file: string;
  readonly title: string;
  readonly summary: string;
  readonly order: number | null;
  readonly portNote: string | null;
  readonly programs: readonly ProgramSpec[];
  readonly endsWhen: "all-exited" | FactName;
  readonly beats: readonly Beat[];
}

export type ProgramStart = "at-once" | { readonly fact: FactName; readonly program?: string };

export interface ProgramSpec {
  readonly name: string;
  /** Absolute path of the program. */
  readonly file: string;
  readonly role: string | null;
  readonly start: ProgramStart;
  readonly env: Readonly<Record<string, string>>;
}

export interface Beat {
  /** Position in the lesson's beats list. */
  readonly index: number;
  readonly on: FactName;
  readonly program?: string;
  readonly title?: string;
  readonly template: readonly TemplatePart[];
  /**
   * What to tell instead on a machine that cannot observe `on` (no /proc,
   * hidden syscall): a fact the trace alone can show, with its own text.
   * It applies to the same program.
   */
  readonly instead?: BeatInstead;
}

export interface BeatInstead {
  readonly on: FactName;
  readonly title?: string;
  readonly template: readonly TemplatePart[];
}

export interface LessonError {
  /** As a user recognises it: relative to the working dir if inside it, else absolute. */
  readonly file: string;
  /** 1-based; 0 when the problem is not inside a file (a folder without a lesson file). */
  readonly line: number;
  /** Path of the offending value, like `beats[2].on`; "" for the whole file. */
  readonly field: string;
  readonly message: string;
}

export type LessonResult = { readonly lesson: Lesson } | { readonly errors: readonly LessonError[] };

/** Where the text came from; all paths are worked out by the caller (the shell). */
export interface LessonInput {
  readonly id: string;
  readonly dir: string;
  readonly file: string;
  readonly displayFile: string;
  readonly text: string;
}

/** Answers whether the lesson folder holds a file of exactly this name. */
export type FileExists = (name: string) => boolean;

export const MAX_PROGRAMS = 4;
const PROGRAM_NAME = /^[a-z][a-z0-9-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOP_KEYS = ["title", "summary", "order", "port_note", "programs", "ends_when", "beats"] as const;
const PROGRAM_KEYS = ["name", "file", "role", "start", "after", "env"] as const;
const BEAT_KEYS = ["on", "program", "title", "text", "instead"] as const;
const INSTEAD_KEYS = ["on", "title", "text"] as const;

export { formatLessonError } from "./lesson-error.ts";

/** Menu order: by `order` (lessons without one last), then by id. */
export function compareLessons(a: Lesson, b: Lesson): number {
  const byOrder = (a.order ?? Number.POSITIVE_INFINITY) - (b.order ?? Number.POSITIVE_INFINITY);
  if (byOrder !== 0 && !Number.isNaN(byOrder)) return byOrder;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Parses and validates one lesson file's text. */
export function parseLesson(input: LessonInput, fileExists: FileExists): LessonResult {
  const lines = new LineCounter();
  const doc = parseDocument(input.text, { lineCounter: lines });
  // Checking the shape of a half-parsed document would bury the one real
  // mistake under errors that follow from it.
  if (doc.errors.length > 0) return { errors: doc.errors.map((e) => syntaxError(input, e)) };
  return validateLesson(doc, lines, input, fileExists);
}

function syntaxError(input: LessonInput, e: YAMLError): LessonError {
  const pos = e.linePos?.[0];
  // yaml appends " at line N, column M:" and a source excerpt; we say the line ourselves.
  const message = e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  const column = pos ? ` (column ${pos.col})` : "";
  return { file: input.displayFile, line: pos?.line ?? 1, field: "", message: `invalid YAML${column}: ${message}` };
}

/** Validates a parsed lesson document; `lines` must be the one it was parsed with. */
export function validateLesson(
  doc: Document,
  lines: LineCounter,
  input: LessonInput,
  fileExists: FileExists,
): LessonResult {
  const ctx: Ctx = { input, doc, lines, fileExists, errors: [] };
  const root = deref(ctx, doc.contents);
  if (root === null || root === undefined || (isScalar(root) && root.value === null)) {
    return { errors: [at(ctx, 1, "", "empty lesson file")] };
  }
  if (!isMap(root)) {
    return {
      errors: [at(ctx, lineOf(ctx, root, 1), "", "must be a mapping of keys: title:, summary:, programs:, beats:")],
    };
  }
  const lesson = readLesson(ctx, readMap(ctx, root, "", 1, TOP_KEYS));
  return ctx.errors.length > 0 || lesson === null ? { errors: ctx.errors } : { lesson };
}

// ---------------------------------------------------------------------------
// Walking the YAML tree: every value keeps its line so errors can point at it.

interface Ctx {
  readonly input: LessonInput;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly fileExists: FileExists;
  readonly errors: LessonError[];
}

/** A key's value (null when the key is present but empty) and where it is. */
interface Entry {
  readonly node: unknown;
  readonly line: number;
  readonly field: string;
}

interface MapView {
  readonly line: number;
  readonly field: string;
  readonly entries: ReadonlyMap<string, Entry>;
}

function at(ctx: Ctx, line: number, field: string, message: string): LessonError {
  return { file: ctx.input.displayFile, line, field, message };
}

function report(ctx: Ctx, line: number, field: string, message: string): null {
  ctx.errors.push(at(ctx, line, field, message));
  return null;
}

function lineOf(ctx: Ctx, node: unknown, fallback: number): number {
  const range = (node as { range?: readonly number[] } | null)?.range;
  return range?.[0] === undefined ? fallback : ctx.lines.linePos(range[0]).line;
}

/** Anchors and aliases are valid YAML; follow them to the node they name. */
function deref(ctx: Ctx, node: unknown): unknown {
  return isAlias(node) ? (node.resolve(ctx.doc) ?? null) : node;
}

function child(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function readMap(
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

function scalarValue(entry: Entry): unknown {
  return isScalar(entry.node) ? entry.node.value : entry.node === null ? null : undefined;
}

function requiredEntry(ctx: Ctx, map: MapView, key: string, what: string): Entry | null {
  const entry = map.entries.get(key);
  if (entry === undefined) return report(ctx, map.line, child(map.field, key), `missing (required: ${what})`);
  return entry;
}

/** A string that must say something; `what` tells the author what is expected. */
function readText(ctx: Ctx, entry: Entry, what: string): string | null {
  const value = scalarValue(entry);
  if (typeof value !== "string") {
    return report(ctx, entry.line, entry.field, value === null ? `is empty (expected ${what})` : `must be ${what}`);
  }
  // Block scalars (`|`) end in a newline the renderers add themselves.
  const text = value.replace(/\s+$/, "");
  if (!text) return report(ctx, entry.line, entry.field, `is empty (expected ${what})`);
  return text;
}

function readOptionalText(ctx: Ctx, map: MapView, key: string, what: string): string | null {
  const entry = map.entries.get(key);
  return entry === undefined ? null : readText(ctx, entry, what);
}

function readFactName(ctx: Ctx, entry: Entry, extra: readonly string[]): FactName | null {
  const value = scalarValue(entry);
  if (typeof value === "string" && isFactName(value)) return value;
  const known = [...extra, ...FACT_NAMES].join(", ");
  if (typeof value !== "string") return report(ctx, entry.line, entry.field, `must be a fact name (known: ${known})`);
  return report(ctx, entry.line, entry.field, `unknown fact "${value}" (known: ${known})`);
}

function isFactName(name: string): name is FactName {
  return Object.hasOwn(FACT_FIELDS, name);
}

/** data.lost compares the programs, so it belongs to none of them. */
function factHasProgram(fact: FactName): boolean {
  return (FACT_FIELDS[fact] as readonly string[]).includes("program");
}

// ---------------------------------------------------------------------------
// The lesson's parts.

function readLesson(ctx: Ctx, top: MapView | null): Lesson | null {
  if (top === null) return null;
  const title = readRequiredText(ctx, top, "title", "the lesson's heading, a non-empty string");
  const summary = readSummary(ctx, top);
  const order = readOrder(ctx, top);
  const portNote = readOptionalText(ctx, top, "port_note", "text saying what the port changed");
  const programs = readPrograms(ctx, top);
  const endsWhen = readEndsWhen(ctx, top);
  const beats = readBeats(ctx, top, programs?.map((p) => p.name) ?? null);
  if (title === null || summary === null || programs === null || endsWhen === null || beats === null) return null;
  const { id, dir, file } = ctx.input;
  return { id, dir, file, title, summary, order, portNote, programs, endsWhen, beats };
}

function readRequiredText(ctx: Ctx, map: MapView, key: string, what: string): string | null {
  const entry = requiredEntry(ctx, map, key, what);
  return entry === null ? null : readText(ctx, entry, what);
}

function readSummary(ctx: Ctx, top: MapView): string | null {
  const summary = readRequiredText(ctx, top, "summary", "one line for the menu");
  if (summary?.includes("\n")) {
    const entry = top.entries.get("summary");
    return report(ctx, entry?.line ?? top.line, "summary", "must be one line: it is shown in the menu");
  }
  return summary;
}

function readOrder(ctx: Ctx, top: MapView): number | null {
  const entry = top.entries.get("order");
  if (entry === undefined) return null;
  const value = scalarValue(entry);
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return report(ctx, entry.line, entry.field, "must be a number (the menu order)");
}

function readEndsWhen(ctx: Ctx, top: MapView): Lesson["endsWhen"] | null {
  const entry = top.entries.get("ends_when");
  if (entry === undefined || scalarValue(entry) === "all-exited") return "all-exited";
  return readFactName(ctx, entry, ["all-exited"]);
}

// ---------------------------------------------------------------------------
// programs:

interface ProgramDraft {
  readonly index: number;
  readonly name: string | null;
  readonly nameLine: number;
  readonly file: string | null;
  readonly role: string | null;
  readonly start: ProgramStart | null;
  readonly startLine: number;
  readonly after: Entry | null;
  readonly env: Record<string, string> | null;
}

function readPrograms(ctx: Ctx, top: MapView): ProgramSpec[] | null {
  const entry = requiredEntry(ctx, top, "programs", "the list of programs to run");
  if (entry === null) return null;
  const items = readList(ctx, entry, "a list of programs (- name: ..., file: ...)");
  if (items === null) return null;
  if (items.length > MAX_PROGRAMS) {
    const extra = items[MAX_PROGRAMS];
    return report(
      ctx,
      lineOf(ctx, extra, entry.line),
      entry.field,
      `at most ${MAX_PROGRAMS} programs (found ${items.length})`,
    );
  }
  const drafts = items.map((item, i) => readProgram(ctx, item, child(entry.field, i), entry.line, i));
  checkProgramNames(ctx, drafts);
  checkStarts(ctx, drafts);
  return drafts.every(isComplete) ? drafts.map((d) => toSpec(d, ctx.input.dir)) : null;
}

/** A sequence with at least one item. */
function readList(ctx: Ctx, entry: Entry, what: string): readonly unknown[] | null {
  if (!isSeq(entry.node)) return report(ctx, entry.line, entry.field, `must be ${what}`);
  if (entry.node.items.length === 0) return report(ctx, entry.line, entry.field, `must not be empty: ${what}`);
  return entry.node.items.map((item) => deref(ctx, item));
}

function readProgram(ctx: Ctx, node: unknown, field: string, fallbackLine: number, index: number): ProgramDraft {
  const map = readMap(ctx, node, field, fallbackLine, PROGRAM_KEYS);
  const line = map?.line ?? lineOf(ctx, node, fallbackLine);
  if (map === null) {
    return {
      index,
      name: null,
      nameLine: line,
      file: null,
      role: null,
      start: null,
      startLine: line,
      after: null,
      env: null,
    };
  }
  const nameEntry = map.entries.get("name");
  const startEntry = map.entries.get("start");
  return {
    index,
    name: readProgramName(ctx, map),
    nameLine: nameEntry?.line ?? line,
    file: readProgramFile(ctx, map),
    role: readOptionalText(ctx, map, "role", "free text shown in the UI"),
    start: startEntry === undefined ? "at-once" : readStart(ctx, startEntry),
    startLine: startEntry?.line ?? line,
    after: map.entries.get("after") ?? null,
    env: readEnv(ctx, map),
  };
}

function readProgramName(ctx: Ctx, map: MapView): string | null {
  const what = "a name like server or client-2 ([a-z][a-z0-9-]*)";
  const entry = requiredEntry(ctx, map, "name", what);
  if (entry === null) return null;
  const value = scalarValue(entry);
  if (typeof value === "string" && PROGRAM_NAME.test(value)) return value;
  const shown = typeof value === "string" ? `"${value}"` : "this";
  return report(ctx, entry.line, entry.field, `${shown} is not a valid program name: use ${what}`);
}

function readProgramFile(ctx: Ctx, map: MapView): string | null {
  const entry = requiredEntry(ctx, map, "file", "the program's file name, like block_server.py");
  if (entry === null) return null;
  const value = scalarValue(entry);
  const folder = ctx.input.displayFile.replace(/[^/\\]*$/, "");
  if (typeof value !== "string" || !value) {
    return report(ctx, entry.line, entry.field, "must be a file name like block_server.py");
  }
  // A path could reach outside the lesson, which then no longer ships whole.
  if (/[/\\]/.test(value) || value === "..") {
    return report(ctx, entry.line, entry.field, `must be a file name in ${folder}, not a path: "${value}"`);
  }
  if (!value.endsWith(".py")) {
    return report(ctx, entry.line, entry.field, `must be a Python program (*.py): "${value}"`);
  }
  if (!ctx.fileExists(value)) return report(ctx, entry.line, entry.field, `no such file "${value}" in ${folder}`);
  return value;
}

function readStart(ctx: Ctx, entry: Entry): ProgramStart | null {
  if (scalarValue(entry) === "at-once") return "at-once";
  const fact = readFactName(ctx, entry, ["at-once"]);
  return fact === null ? null : { fact };
}

function readEnv(ctx: Ctx, map: MapView): Record<string, string> | null {
  const entry = map.entries.get("env");
  if (entry === undefined || entry.node === null) return {};
  if (!isMap(entry.node)) return report(ctx, entry.line, entry.field, 'must be a mapping of NAME: "value"');
  const env: Record<string, string> = {};
  let ok = true;
  for (const pair of entry.node.items) {
    const key = deref(ctx, pair.key);
    const name = isScalar(key) ? String(key.value) : "";
    const value = deref(ctx, pair.value);
    const line = lineOf(ctx, value, lineOf(ctx, key, entry.line));
    if (!ENV_NAME.test(name)) {
      ok = false;
      report(
        ctx,
        lineOf(ctx, key, entry.line),
        entry.field,
        `"${name}" is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)`,
      );
    } else if (!isScalar(value) || typeof value.value !== "string") {
      ok = false;
      const shown = isScalar(value) ? String(value.value) : "...";
      report(ctx, line, child(entry.field, name), `must be a string: quote it, ${name}: "${shown}"`);
    } else {
      env[name] = value.value;
    }
  }
  return ok ? env : null;
}

function checkProgramNames(ctx: Ctx, drafts: readonly ProgramDraft[]): void {
  const seen = new Map<string, number>();
  for (const draft of drafts) {
    if (draft.name === null) continue;
    const first = seen.get(draft.name);
    if (first === undefined) seen.set(draft.name, draft.index);
    else {report(
        ctx,
        draft.nameLine,
        `programs[${draft.index}].name`,
        `duplicate program name "${draft.name}" (also programs[${first}])`,
      );}
  }
}

/**
 * Start conditions that could never fire would leave a lesson hanging until
 * the learner gives up, so they are refused here instead.
 */
function checkStarts(ctx: Ctx, drafts: ProgramDraft[]): void {
  const names = drafts.flatMap((d) => (d.name === null ? [] : [d.name]));
  const first = drafts[0];
  if (first?.start && first.start !== "at-once") {
    report(
      ctx,
      first.startLine,
      "programs[0].start",
      `the first program must start at-once: nothing is running yet to produce "${first.start.fact}"`,
    );
  }
  for (const [i, draft] of drafts.entries()) {
    const after = draft.after === null ? null : readAfter(ctx, draft, names);
    if (after !== null && draft.start !== null && draft.start !== "at-once") {
      drafts[i] = { ...draft, start: { fact: draft.start.fact, program: after } };
    }
  }
  checkAfterCycles(ctx, drafts);
}

function readAfter(ctx: Ctx, draft: ProgramDraft, names: readonly string[]): string | null {
  const entry = draft.after;
  if (entry === null) return null;
  const value = scalarValue(entry);
  if (draft.start === "at-once") {
    return report(ctx, entry.line, entry.field, "only applies with a fact start (start: <fact name>)");
  }
  if (typeof value !== "string" || !names.includes(value)) {
    const shown = typeof value === "string" ? `"${value}"` : "this";
    return report(
      ctx,
      entry.line,
      entry.field,
      `${shown} is not a program of this lesson (programs: ${names.join(", ")})`,
    );
  }
  if (value === draft.name) {
    return report(ctx, entry.line, entry.field, `"${value}" cannot wait for its own fact: it has not started yet`);
  }
  if (draft.start !== null && !factHasProgram(draft.start.fact)) {
    return report(
      ctx,
      entry.line,
      entry.field,
      `"${draft.start.fact}" belongs to no single program, so after: cannot apply`,
    );
  }
  return value;
}

/** With at most four programs, following each `after` chain is enough. */
function checkAfterCycles(ctx: Ctx, drafts: readonly ProgramDraft[]): void {
  const waitsFor = (name: string): string | undefined => {
    const start = drafts.find((d) => d.name === name)?.start;
    return start && start !== "at-once" ? start.program : undefined;
  };
  for (const draft of drafts) {
    if (draft.name === null || draft.after === null) continue;
    const chain = [draft.name];
    for (let next = waitsFor(draft.name); next !== undefined; next = waitsFor(next)) {
      chain.push(next);
      if (next === draft.name) {
        report(ctx, draft.after.line, draft.after.field, `start cycle ${chain.join(" -> ")}: none of them would start`);
        break;
      }
      if (chain.length > drafts.length) break;
    }
  }
}

type CompleteDraft = ProgramDraft & {
  readonly name: string;
  readonly file: string;
  readonly start: ProgramStart;
  readonly env: Record<string, string>;
};

function isComplete(d: ProgramDraft): d is CompleteDraft {
  return d.name !== null && d.file !== null && d.start !== null && d.env !== null;
}

function toSpec(d: CompleteDraft, dir: string): ProgramSpec {
  return { name: d.name, file: joinPath(dir, d.file), role: d.role, start: d.start, env: d.env };
}

/** node:path is off limits here; `name` was checked to hold no separator. */
function joinPath(dir: string, name: string): string {
  if (/[/\\]$/.test(dir)) return dir + name;
  const windows = dir.includes("\\") && !dir.includes("/");
  return `${dir}${windows ? "\\" : "/"}${name}`;
}

// ---------------------------------------------------------------------------
// beats:

function readBeats(ctx: Ctx, top: MapView, programs: readonly string[] | null): Beat[] | null {
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
  const onEntry = requiredEntry(ctx, map, "on", "the fact that unlocks this beat");
  const on = onEntry === null ? null : readFactName(ctx, onEntry, []);
  const program = readBeatProgram(ctx, map, on, programs);
  const title = readOptionalText(ctx, map, "title", "a short heading");
  const template = readBeatText(ctx, map, on);
  const titleFailed = title === null && map.entries.has("title");
  const insteadEntry = map.entries.get("instead");
  const instead = insteadEntry === undefined ? undefined : readInstead(ctx, insteadEntry);
  if (on === null || program === null || titleFailed || template === null || instead === null) return null;
  return {
    index,
    on,
    ...(program === undefined ? {} : { program }),
    ...(title === null ? {} : { title }),
    template,
    ...(instead === undefined ? {} : { instead }),
  };
}

/** A beat's `instead:` (on, title, text); null: an error was reported. */
function readInstead(ctx: Ctx, entry: Entry): BeatInstead | null {
  const map = readMap(ctx, entry.node, entry.field, entry.line, INSTEAD_KEYS);
  if (map === null) return null;
  const onEntry = requiredEntry(ctx, map, "on", "the fact the trace can show instead");
  const on = onEntry === null ? null : readFactName(ctx, onEntry, []);
  const title = readOptionalText(ctx, map, "title", "a short heading");
  const template = readBeatText(ctx, map, on);
  if (on === null || template === null || (title === null && map.entries.has("title"))) return null;
  return { on, ...(title === null ? {} : { title }), template };
}

/** undefined: no filter; null: an error was reported. */
function readBeatProgram(
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

function readBeatText(ctx: Ctx, map: MapView, on: FactName | null): readonly TemplatePart[] | null {
  const entry = requiredEntry(ctx, map, "text", "the beat's text");
  if (entry === null) return null;
  const text = readText(ctx, entry, "the beat's text");
  if (text === null) return null;
  // Without a valid fact the fields are unknown; still report brace mistakes.
  const result = parseTemplate(text, on === null ? undefined : FACT_FIELDS[on]);
  if (result.ok) return result.parts;
  const line = placeholderLine(ctx, entry, text, result.error.placeholder, result.error.offset);
  return report(ctx, line, entry.field, result.error.message);
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
