/**
 * The lesson file: `lessons/<id>/lesson.yaml` (or `lesson.yml`), beside the
 * Python programs it runs. The folder name is the lesson id. docs/teaching.md's
 * "Writing a lesson" section is the guide; this is the reference.
 *
 * ```yaml
 * title: Blocking send            # required, non-empty string
 * summary: One line for the menu. # required, non-empty, one line
 * order: 1                        # optional number: menu order; lessons without
 *                                 #   one come after, ties and the rest by id
 * part: The tutorial              # optional: the menu groups lessons by part, in the
 *                                 #   order of each part's first lesson
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
 *                                 #   not for facts without a program, transfer.ended)
 *     env: { STOP_AFTER_S: "2" }  # optional; names [A-Za-z_][A-Za-z0-9_]*, values
 *                                 #   must be strings (quote numbers)
 * ends_when: all-exited           # optional: "all-exited" (default), a fact name,
 *                                 #   or {on, program, where}: the runner then stops the rest
 * knobs:                          # optional, up to 8: settings a learner may change
 *   - name: sndbuf                #   (--set sndbuf=65536, the player's k); [a-z][a-z0-9_]*
 *     title: the client's SO_SNDBUF #  required, one line: what it changes
 *     unit: bytes                 #   bytes, ms or count
 *     min: 4096                   #   required whole numbers, min <= max
 *     max: 4194304
 *     default: 136314880          #   optional, within min..max: what the programs do
 *                                 #   without it; absent: "not set" (their own way)
 *     env: SNDBUF                 #   required: the variable every program of the
 *                                 #   lesson gets, only when the learner set the knob
 *                                 #   (unset otherwise, even if the shell has it)
 * recap:                          # optional: the lesson's end summary, a line each,
 *   - on: send.returned           #   from a fact selected as a beat selects it
 *     program: client             #   (on, program, where, nth); a line whose fact
 *     text: send() took {ms|ms}   #   never came is left out
 * beats:                          # required, at least 1, in teaching order
 *   - on: recv.raised             # required: a fact name (src/facts/vocabulary.ts):
 *                                 #   <call>.<phase> for a call of src/trace/calls.json,
 *                                 #   or sendq.filled, program.exited, transfer.ended...
 *     program: client             # optional: only this program's facts (a declared
 *                                 #   name; not for facts without a program)
 *     where: { error: timeout }   # optional: only facts whose fields have these
 *                                 #   values (a list: any of them); fields of `on` only
 *     nth: 2                      # optional: for a call fact, the call's ordinal
 *                                 #   (its `nth` field); for other facts, the 2nd that
 *                                 #   matches; "last": the last one, known when the
 *                                 #   program exits (or the run ends)
 *     title: The timeout          # optional short heading
 *     text: |                     # required template, trailing blank lines dropped
 *       recv() gave up after {ms|ms} with {errno}.
 *     instead:                    # optional: on a machine that cannot observe `on`
 *       on: recv.waiting          #   (no /proc, the probe off), this fact (with its
 *       title: Still in recv()    #   own where/nth), title and text, same program;
 *       text: ...                 #   the narration says the original was not observed
 *     hold:                       # optional, one or a list: a program waits there
 *       program: server           #   (a declared name) while the learner reads this
 *       before: recv              #   beat: before its next call of that name, or
 *                                 #   after: one returns; with nth: N, that call, armed
 *                                 #   from the start (else when the beat's fact comes,
 *                                 #   or with from: <fact> or {on, program, where}, when
 *                                 #   that one comes: a hold over several beats)
 *     show: [client, code, sockets] # optional, one or a list: the panes presenter
 *                                 #   mode shows under this beat (--present): a
 *                                 #   program's lane, code (the source of the programs
 *                                 #   shown), sockets (the kernel's sockets pane);
 *                                 #   []: the narration alone. Without it, the panes
 *                                 #   follow from the beat's fact
 * ```
 *
 * Templates: `{field}` or `{field|format}`; the field must be one of the fact's
 * fields; formats: bytes (136,314,880 bytes), size (4.0 MiB), ms (2,101 ms),
 * count (12,345). Knobs: `{knob.sndbuf|bytes}` (the value given), `{limit|times:knob.sndbuf}`
 * (twice, exactly, 1.5 times), `{if knob.sndbuf}...{else}...{end}` (told only
 * when that knob was set). `{{` and `}}` are literal braces; a lone `}` is an error. A
 * value the run did not measure shows as "unknown"; one that means "none"
 * (no signal, no errno) as "none".
 *
 * Any key not listed above is an error, so a misspelt `ends_whn:` is reported
 * instead of silently ignored. Every error carries the line of the offending
 * value (of the enclosing item when a required key is missing).
 *
 * Pure: no node:* imports, so the same checks run under Node, Deno and in tests.
 */
import { type Document, isMap, isScalar, LineCounter, parseDocument, type YAMLError } from "yaml";
import type { FactName } from "../facts/types.ts";
import type { Expression } from "./expression.ts";
import type { KnobSettings, KnobSpec } from "./knobs.ts";
import { readKnobs } from "./read-knobs.ts";
import { readBeats, readEndsWhen, readRecap } from "./read-beats.ts";
import { readExercises } from "./read-exercises.ts";
import { readPrograms } from "./read-programs.ts";
import type { TemplatePart } from "./template.ts";
import {
  at,
  type Ctx,
  deref,
  lineOf,
  type MapView,
  readMap,
  readOptionalText,
  readRequiredText,
  report,
  scalarValue,
} from "./yaml-walk.ts";

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
  /** The menu's group (the tutorial; beyond it); null: none. */
  readonly part: string | null;
  readonly portNote: string | null;
  readonly programs: readonly ProgramSpec[];
  readonly endsWhen: "all-exited" | FactSelector;
  readonly beats: readonly Beat[];
  /** What the lesson measured, in a few lines for its end: each filled from a fact of the run. */
  readonly recap: readonly RecapLine[];
  /** Exercises that go with the lesson: the learner writes a program, the kernel's facts judge it. */
  readonly exercises: readonly Exercise[];
  /** The settings a learner may change (lessons/knobs.ts). */
  readonly knobs: readonly KnobSpec[];
  /** This run's: the knobs set to something other than their default ({} as loaded). */
  readonly settings: KnobSettings;
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

export type WhereScalar = string | number | boolean | null;
/** A list matches any of its values. */
export type WhereValue = WhereScalar | readonly WhereScalar[];

/** Which facts count: by name, program, field values, and which one of them. */
export interface FactSelector {
  readonly on: FactName;
  readonly program?: string;
  readonly where?: Readonly<Record<string, WhereValue>>;
  /** A call fact: the call's ordinal (its `nth`); other facts: the nth match. "last": the last, once known. */
  readonly nth?: number | "last";
}

/**
 * A hold: the program waits at that point (before the call, or after it
 * returns) while the learner reads the beat; socket-lessons releases it when
 * the learner moves on. Without nth it is armed when the beat's fact comes and
 * takes the program's next such call; with nth, that call, armed from the start.
 */
export interface HoldSpec {
  readonly program: string;
  readonly when: "before" | "after";
  readonly call: string;
  readonly nth?: number;
  /** Armed when this fact comes (not the beat's own): a hold that spans several beats, released with this one. */
  readonly from?: FactSelector;
}

export interface Beat extends FactSelector {
  /** Position in the lesson's beats list. */
  readonly index: number;
  readonly title?: string;
  readonly template: readonly TemplatePart[];
  /**
   * What to tell instead on a machine that cannot observe `on` (no /proc,
   * hidden syscall): a fact the trace alone can show, with its own text.
   * It applies to the same program.
   */
  readonly instead?: BeatInstead;
  /** Programs to hold while the learner reads this beat. */
  readonly holds?: readonly HoldSpec[];
  /** The panes presenter mode shows under this beat; absent: chosen from the beat's fact. */
  readonly show?: readonly ShowItem[];
  /** A question the learner answers before the beat is told (predict, then observe). */
  readonly ask?: Question;
}

// ---------------------------------------------------------------------------
// Judging a fact: exercises' criteria and questions' choices.

/** What is measured of the facts a check selects. */
export type Measure =
  | { readonly kind: "happened" } // the fact came
  | { readonly kind: "value"; readonly field: string } // the field of the one fact selected
  | { readonly kind: "sum"; readonly field: string } // added up over every fact selected
  | { readonly kind: "max"; readonly field: string } // the largest, of every fact selected
  | { readonly kind: "count" }; // how many facts were selected

export { type ComparisonName, COMPARISONS } from "./comparisons.ts";
import type { ComparisonName } from "./comparisons.ts";

/** A bound: a number or arithmetic on the fact's fields; a text or true/false only for equals. */
export type Bound = { readonly kind: "expression"; readonly expression: Expression } | {
  readonly kind: "literal";
  readonly value: string | boolean;
};

export type Comparison =
  | { readonly op: Exclude<ComparisonName, "between">; readonly bound: Bound }
  | { readonly op: "between"; readonly low: Expression; readonly high: Expression };

/** One judged thing: which facts (any of `on`, as a beat selects them), what of them, compared to what. */
export interface Check {
  readonly on: readonly FactName[];
  readonly program?: string;
  readonly where?: FactSelector["where"];
  readonly nth?: number | "last";
  readonly measure: Measure;
  /** null for "happened" (the fact came). */
  readonly comparison: Comparison | null;
  /** The evidence shown beside ✓/✗, filled from the facts (else worded from the comparison). */
  readonly evidence: readonly TemplatePart[] | null;
}

/** A line of an exercise's verdict: passes when its check does (or, with any:, one of its checks). */
export interface Criterion {
  readonly index: number;
  readonly title: string;
  readonly checks: readonly Check[];
  /** Shown under its ✗: this criterion's own hint. */
  readonly hint: string | null;
}

export interface Exercise {
  /** Unique among all lessons: `socket-lessons exercise <id>`. */
  readonly id: string;
  readonly lesson: string;
  readonly title: string;
  /** What to do, told by `socket-lessons exercise <id>`. */
  readonly task: string;
  /** The program whose file the learner writes (it runs in its place). */
  readonly program: string;
  /** Absolute path of the file copied into the learner's folder. */
  readonly starter: string;
  /** Absolute path of the reference solution, shown after a pass. */
  readonly solution: string;
  /** A check that has not ended by itself after this long is stopped. */
  readonly timeoutMs: number;
  readonly programs: readonly ProgramSpec[];
  readonly endsWhen: Lesson["endsWhen"];
  readonly criteria: readonly Criterion[];
  /** Revealed one at a time (check --hint). */
  readonly hints: readonly string[];
}

/** A choice of a question: right when its check passes on the beat's fact (never, without one). */
export interface Choice {
  readonly text: string;
  readonly when: Check | null;
}

/** A question asked before a beat: choices, or a number the learner guesses. */
export interface Question {
  readonly question: string;
  readonly choices: readonly Choice[] | null;
  /** For a number question: the field of the beat's fact it is compared with. */
  readonly number: string | null;
  /** The measured answer, filled from the beat's fact. */
  readonly answer: readonly TemplatePart[];
}

/** In a beat's `show:`: a program's name (its lane), "code" or "sockets". */
export type ShowItem = string;

/** A line of the lesson's end summary: a fact (as a beat selects one) and a text filled from it. */
export interface RecapLine extends FactSelector {
  readonly index: number;
  readonly template: readonly TemplatePart[];
}

export interface BeatInstead extends Omit<FactSelector, "program"> {
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
const TOP_KEYS = [
  "title",
  "summary",
  "order",
  "part",
  "port_note",
  "programs",
  "ends_when",
  "knobs",
  "beats",
  "recap",
  "exercises",
] as const;

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
  // The same goes for YAML's own errors: after the first, the parser is lost
  // (one tab gave 35), so only the first is told, with a count of the rest.
  if (doc.errors.length > 0) {
    const first = syntaxError(input, doc.errors[0]!);
    const more = doc.errors.length - 1;
    return { errors: [more > 0 ? { ...first, message: `${first.message} (and ${more} more after it)` } : first] };
  }
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
// The lesson's parts.

function readLesson(ctx: Ctx, top: MapView | null): Lesson | null {
  if (top === null) return null;
  const title = readRequiredText(ctx, top, "title", "the lesson's heading, a non-empty string");
  const summary = readSummary(ctx, top);
  const order = readOrder(ctx, top);
  const portNote = readOptionalText(ctx, top, "port_note", "text saying what the port changed");
  const part = readOptionalText(ctx, top, "part", "the name of the menu's group, one line");
  const programs = readPrograms(ctx, top);
  const endsWhen = readEndsWhen(ctx, top, programs?.map((p) => p.name) ?? null);
  const knobs = readKnobs(ctx, top);
  // Texts are checked against the knobs declared; with broken knobs, not at all (the knobs' error is the one).
  const textCtx: Ctx = { ...ctx, knobNames: knobs?.map((k) => k.name) ?? null };
  const beats = readBeats(textCtx, top, programs?.map((p) => p.name) ?? null);
  const recap = readRecap(textCtx, top, programs?.map((p) => p.name) ?? null);
  const exercises = readExercises(textCtx, top, programs, endsWhen);
  if (knobs !== null && programs !== null) checkKnobEnv(ctx, top, knobs, programs);
  if (
    title === null || summary === null || programs === null || endsWhen === null || beats === null ||
    recap === null || knobs === null || exercises === null || ctx.errors.length > 0
  ) return null;
  const { id, dir, file } = ctx.input;
  if (part === null && top.entries.has("part")) return null;
  return {
    id,
    dir,
    file,
    title,
    summary,
    order,
    part,
    portNote,
    programs,
    endsWhen,
    beats,
    recap,
    exercises,
    knobs,
    settings: {},
  };
}

/** A program's own env: naming a knob's variable would make the knob's "unset" untrue. */
function checkKnobEnv(ctx: Ctx, top: MapView, knobs: readonly KnobSpec[], programs: readonly ProgramSpec[]): void {
  for (const [i, program] of programs.entries()) {
    for (const knob of knobs) {
      if (!(knob.env in program.env)) continue;
      const line = top.entries.get("programs")?.line ?? top.line;
      report(
        ctx,
        line,
        `programs[${i}].env.${knob.env}`,
        `is knob ${knob.name}'s variable: set it with the knob (--set ${knob.name}=...), not in env`,
      );
    }
  }
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
