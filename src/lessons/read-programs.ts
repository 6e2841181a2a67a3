// Reading a lesson file's `programs:`: names, files, how each starts, its
// environment. Start conditions that could never fire are refused here. Pure.
import { isMap, isScalar } from "yaml";
import { factHasProgram, factNeeds } from "../facts/vocabulary.ts";
import { readFactName } from "./read-facts.ts";
import { MAX_PROGRAMS, type ProgramSpec, type ProgramStart } from "./schema.ts";
import {
  child,
  type Ctx,
  deref,
  type Entry,
  lineOf,
  type MapView,
  readList,
  readMap,
  readOptionalText,
  report,
  requiredEntry,
  scalarValue,
} from "./yaml-walk.ts";

const PROGRAM_NAME = /^[a-z][a-z0-9-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PROGRAM_KEYS = ["name", "file", "role", "start", "after", "env"] as const;

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

export function readPrograms(ctx: Ctx, top: MapView): ProgramSpec[] | null {
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
  checkProgramNames(ctx, drafts, entry.field);
  checkStarts(ctx, drafts, entry.field);
  return drafts.every(isComplete) ? drafts.map((d) => toSpec(d, ctx.input.dir)) : null;
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
  return entry === null ? null : readFolderFile(ctx, entry);
}

/** A Python file of the lesson folder, by name (not a path): a program, an exercise's starter or solution. */
export function readFolderFile(ctx: Ctx, entry: Entry): string | null {
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
  if (fact === null) return null;
  // A program waiting for a fact only the kernel shows would never start on a
  // machine without /proc (or with the probe off): the lesson would hang.
  const needs = factNeeds(fact);
  if (needs.length > 0) {
    return report(
      ctx,
      entry.line,
      entry.field,
      `"${fact}" needs ${needs.join(" and ")}, which not every machine shows: start on a fact the trace shows`,
    );
  }
  return { fact };
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

function checkProgramNames(ctx: Ctx, drafts: readonly ProgramDraft[], field: string): void {
  const seen = new Map<string, number>();
  for (const draft of drafts) {
    if (draft.name === null) continue;
    const first = seen.get(draft.name);
    if (first === undefined) seen.set(draft.name, draft.index);
    else {report(
        ctx,
        draft.nameLine,
        `${child(field, draft.index)}.name`,
        `duplicate program name "${draft.name}" (also ${child(field, first)})`,
      );}
  }
}

/**
 * Start conditions that could never fire would leave a lesson hanging until
 * the learner gives up, so they are refused here instead.
 */
function checkStarts(ctx: Ctx, drafts: ProgramDraft[], field: string): void {
  const names = drafts.flatMap((d) => (d.name === null ? [] : [d.name]));
  const first = drafts[0];
  if (first?.start && first.start !== "at-once") {
    report(
      ctx,
      first.startLine,
      `${child(field, 0)}.start`,
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
export function joinPath(dir: string, name: string): string {
  if (/[/\\]$/.test(dir)) return dir + name;
  const windows = dir.includes("\\") && !dir.includes("/");
  return `${dir}${windows ? "\\" : "/"}${name}`;
}
