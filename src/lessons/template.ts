// Beat text templates: prose with `{field}` / `{field|format}` placeholders
// filled from a fact's measured values. Pure: the schema validates templates
// at load time, the session fills them when a fact arrives.
//
// Braces follow Python's str.format, which the lesson authors already know
// from the programs: `{{` is a literal `{`, `}}` a literal `}`, and a lone `}`
// is an error, because it is nearly always a typo for a placeholder such as
// `{line}}`. Spaces inside a placeholder are allowed: `{ bytes | size }`.
//
// Knobs (the settings a learner may change, lessons/knobs.ts) reach a text
// three ways, all checked against the lesson's `knobs:` when it loads:
// - `{knob.sndbuf|bytes}`: the value the run was given (set, or the default);
// - `{limit|times:knob.sndbuf}`: a measured field against it, in words
//   ("twice", "exactly", "1.5 times"), so "the kernel doubled it" is said only
//   when the measurement shows a double;
// - `{if knob.sndbuf}...{else}...{end}`: a section told only when the learner
//   set that knob to something other than its default (not nested).

export const TEMPLATE_FORMATS = ["bytes", "size", "ms", "count", "times"] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | {
    readonly kind: "field";
    readonly field: string;
    readonly format: TemplateFormat | null;
    /** `times` only: the knob the value is measured against. */
    readonly of?: string;
  }
  | { readonly kind: "knob"; readonly knob: string; readonly format: TemplateFormat | null }
  | {
    readonly kind: "if";
    readonly knob: string;
    readonly then: readonly TemplatePart[];
    readonly otherwise: readonly TemplatePart[];
  };

/** The knobs' values as a run has them: by name, and which of them the learner set. */
export interface KnobValues {
  /** The value given to the programs (set, or the default); null: not set and no default. */
  readonly values: Readonly<Record<string, number | null>>;
  /** Knobs set to something other than their default. */
  readonly set: ReadonlySet<string>;
}

export const NO_KNOBS: KnobValues = { values: {}, set: new Set() };

export interface TemplateError {
  /** The offending source text, e.g. `{bytez|size}`, or `}` for a lone brace. */
  readonly placeholder: string;
  /** Where it starts in the template text (UTF-16 index). */
  readonly offset: number;
  readonly message: string;
}

export type TemplateResult =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | { readonly ok: false; readonly error: TemplateError };

export type TemplateValue = string | number | boolean | null | undefined;

/** Shown for a value the run did not measure: the app never invents one. */
export const UNKNOWN_VALUE = "unknown";

const FIELD_NAME = /^[a-z_][a-z0-9_]*$/;

type Token =
  | { readonly kind: "part"; readonly part: TemplatePart }
  | { readonly kind: "if"; readonly knob: string; readonly raw: string; readonly offset: number }
  | { readonly kind: "else" | "end"; readonly raw: string; readonly offset: number };

/**
 * Splits a template into literal text and placeholders. With `fields`, a
 * placeholder naming anything else is an error, so a typo in a lesson file is
 * caught when the lesson loads, not when the beat is shown mid-run; with
 * `knobs`, the same for knob names.
 */
export function parseTemplate(
  text: string,
  fields?: readonly string[],
  knobs?: readonly string[],
): TemplateResult {
  const tokens: Token[] = [];
  let literal = "";
  const flush = () => {
    if (literal) tokens.push({ kind: "part", part: { kind: "text", text: literal } });
    literal = "";
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if ((ch === "{" && next === "{") || (ch === "}" && next === "}")) {
      literal += ch;
      i += 2;
    } else if (ch === "}") {
      return fail("}", i, 'a lone "}": write "}}" for a literal brace');
    } else if (ch === "{") {
      const close = text.indexOf("}", i);
      if (close < 0) return fail(text.slice(i, i + 20), i, 'placeholder is never closed with "}"');
      const raw = text.slice(i, close + 1);
      const parsed = parsePlaceholder(raw, i, fields, knobs);
      if ("message" in parsed) return fail(raw, i, parsed.message);
      flush();
      tokens.push(parsed);
      i = close + 1;
    } else {
      literal += ch;
      i += 1;
    }
  }
  flush();
  return foldSections(tokens);
}

/** `{if knob.x}` ... `{else}` ... `{end}` into one part; sections do not nest. */
function foldSections(tokens: readonly Token[]): TemplateResult {
  const parts: TemplatePart[] = [];
  let open: { knob: string; raw: string; offset: number; then: TemplatePart[]; otherwise: TemplatePart[] } | null =
    null;
  let inElse = false;
  for (const token of tokens) {
    if (token.kind === "part") (open === null ? parts : inElse ? open.otherwise : open.then).push(token.part);
    else if (token.kind === "if") {
      if (open !== null) return fail(token.raw, token.offset, `${token.raw} inside ${open.raw}: sections do not nest`);
      open = { knob: token.knob, raw: token.raw, offset: token.offset, then: [], otherwise: [] };
      inElse = false;
    } else if (open === null) {
      return fail(token.raw, token.offset, `${token.raw} without an {if knob.NAME} before it`);
    } else if (token.kind === "else") {
      if (inElse) return fail(token.raw, token.offset, `a second {else} in ${open.raw}`);
      inElse = true;
    } else {
      parts.push({ kind: "if", knob: open.knob, then: open.then, otherwise: open.otherwise });
      open = null;
    }
  }
  if (open !== null) return fail(open.raw, open.offset, `${open.raw} is never closed with {end}`);
  return { ok: true, parts };
}

function fail(placeholder: string, offset: number, message: string): TemplateResult {
  return { ok: false, error: { placeholder, offset, message } };
}

const KNOB_REF = /^knob\.([a-z_][a-z0-9_]*)$/;

function knobProblem(ref: string, raw: string, knobs: readonly string[] | undefined): string | null {
  const name = KNOB_REF.exec(ref)?.[1];
  if (name === undefined) return `placeholder ${raw} needs a knob like knob.sndbuf`;
  if (knobs && !knobs.includes(name)) {
    const known = knobs.length > 0 ? ` (knobs: ${knobs.join(", ")})` : " (this lesson declares no knobs:)";
    return `unknown knob "${name}" in ${raw}${known}`;
  }
  return null;
}

function parsePlaceholder(
  raw: string,
  offset: number,
  fields: readonly string[] | undefined,
  knobs: readonly string[] | undefined,
): Token | { readonly message: string } {
  const inner = raw.slice(1, -1);
  if (inner.includes("{")) return { message: `"{" inside placeholder ${raw}: write "{{" for a literal brace` };
  const control = /^\s*(if\s+(\S+)|else|end)\s*$/.exec(inner);
  if (control) {
    if (control[1] === "else" || control[1] === "end") return { kind: control[1], raw, offset };
    const problem = knobProblem(control[2]!, raw, knobs);
    return problem === null
      ? { kind: "if", knob: control[2]!.slice("knob.".length), raw, offset }
      : { message: problem };
  }
  const [rawField = "", rawFormat, ...extra] = inner.split("|").map((s) => s.trim());
  if (extra.length > 0) return { message: `placeholder ${raw} has more than one "|"` };
  const [formatName = "", operand, ...more] = (rawFormat ?? "").split(":").map((s) => s.trim());
  const format = rawFormat === undefined ? null : formatName;
  if (format !== null && !isFormat(format)) {
    return { message: `unknown format "${format}" in ${raw} (formats: ${TEMPLATE_FORMATS.join(", ")})` };
  }
  if (format === "times" && (operand === undefined || more.length > 0)) {
    return { message: `${raw}: times needs the knob to compare with, like {limit|times:knob.sndbuf}` };
  }
  if (format !== "times" && operand !== undefined) return { message: `${raw}: only times takes ":"` };
  if (operand !== undefined) {
    const problem = knobProblem(operand, raw, knobs);
    if (problem !== null) return { message: problem };
  }
  if (rawField.startsWith("knob.")) {
    const problem = knobProblem(rawField, raw, knobs);
    if (problem !== null) return { message: problem };
    if (format === "times") return { message: `${raw}: times compares a measured field with a knob, not two knobs` };
    return { kind: "part", part: { kind: "knob", knob: rawField.slice("knob.".length), format } };
  }
  if (!FIELD_NAME.test(rawField)) {
    return { message: `placeholder ${raw} needs a field name like {bytes} (write "{{" for a literal brace)` };
  }
  if (fields && !fields.includes(rawField)) {
    return { message: `unknown field "${rawField}" in ${raw} (fields: ${fields.join(", ")})` };
  }
  const part: TemplatePart = operand === undefined
    ? { kind: "field", field: rawField, format }
    : { kind: "field", field: rawField, format, of: operand.slice("knob.".length) };
  return { kind: "part", part };
}

function isFormat(name: string): name is TemplateFormat {
  return (TEMPLATE_FORMATS as readonly string[]).includes(name);
}

/**
 * Renders a parsed template. A null value shows as what null means for that
 * field (`nulls`: "none" for a signal that never came), else as "unknown".
 */
export function fillTemplate(
  parts: readonly TemplatePart[],
  values: Readonly<Record<string, TemplateValue>>,
  nulls: Readonly<Record<string, string>> = {},
  knobs: KnobValues = NO_KNOBS,
): string {
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") out += part.text;
    else if (part.kind === "if") {
      out += fillTemplate(knobs.set.has(part.knob) ? part.then : part.otherwise, values, nulls, knobs);
    } else if (part.kind === "knob") {
      const value = knobs.values[part.knob];
      out += value === null || value === undefined ? "not set" : formatValue(value, part.format);
    } else if (part.of !== undefined) {
      out += formatTimes(values[part.field], knobs.values[part.of]);
    } else {
      const value = values[part.field];
      out += value === null || value === undefined
        ? (nulls[part.field] ?? UNKNOWN_VALUE)
        : formatValue(value, part.format);
    }
  }
  return out;
}

/**
 * A measured value against the one asked for, in words: "twice" only when it
 * is exactly twice (Linux's doubling of SO_SNDBUF, when the measurement shows
 * it), "exactly" when equal, else the ratio ("1.75 times", "about 2 times" when rounded).
 */
export function formatTimes(value: TemplateValue, base: TemplateValue): string {
  const n = typeof value === "number" ? value : null;
  const of = typeof base === "number" ? base : null;
  if (n === null || of === null || of === 0 || !Number.isFinite(n / of)) return UNKNOWN_VALUE;
  if (n === 2 * of) return "twice";
  if (n === of) return "exactly";
  const ratio = n / of;
  const shown = Math.round(ratio * 100) / 100;
  // 130,964 of 65,536 is 1.998...: "about 2 times", never a bare "2 times" that reads as exact.
  return `${shown === ratio ? "" : "about "}${formatCount(shown)} times`;
}

/**
 * One value as text. A value a format cannot read as a number (a string such
 * as "EAGAIN") is shown as it is rather than guessed at.
 */
export function formatValue(value: TemplateValue, format: TemplateFormat | null): string {
  if (value === null || value === undefined) return UNKNOWN_VALUE;
  // The programs are Python: setblocking(False), connected True.
  if (typeof value === "boolean") return value ? "True" : "False";
  if (format === null) return String(value);
  const n = toNumber(value);
  if (n === null) return String(value);
  if (!Number.isFinite(n)) return UNKNOWN_VALUE;
  switch (format) {
    case "times": // needs its operand: fillTemplate handles it
      return formatCount(n);
    case "bytes":
      return formatBytes(n);
    case "size":
      return formatSize(n);
    case "ms":
      return formatMs(n);
    case "count":
      return formatCount(n);
  }
}

function toNumber(value: string | number | boolean): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** `136,314,880 bytes`; exact, because the lessons compare byte counts. */
export function formatBytes(n: number): string {
  const whole = Math.round(n);
  return `${groupThousands(whole)} ${Math.abs(whole) === 1 ? "byte" : "bytes"}`;
}

const SIZE_UNITS = ["KiB", "MiB", "GiB", "TiB"] as const;

/** `4.0 MiB`: binary units, because kernel buffer sizes are powers of two. */
export function formatSize(n: number): string {
  if (Math.abs(Math.round(n)) < 1024) return `${Math.round(n)} B`;
  let scaled = n / 1024;
  let unit = 0;
  // Compare the rounded text, so 1023.96 KiB shows as 1.0 MiB, not 1024.0 KiB.
  while (Math.abs(Number(scaled.toFixed(1))) >= 1024 && unit < SIZE_UNITS.length - 1) {
    scaled /= 1024;
    unit += 1;
  }
  return `${scaled.toFixed(1)} ${SIZE_UNITS[unit]}`;
}

/**
 * `2,101 ms`. Below 10 ms one decimal is kept, because a loopback send
 * finishing in 0.4 ms is a lesson in itself and "0 ms" would say it took nothing.
 */
export function formatMs(n: number): string {
  if (n === 0) return "0 ms";
  if (Math.abs(n) >= 10) return `${groupThousands(Math.round(n))} ms`;
  if (Math.abs(n) < 0.05) return n > 0 ? "<0.1 ms" : ">-0.1 ms";
  const text = n.toFixed(1);
  return `${text.endsWith(".0") ? text.slice(0, -2) : text} ms`;
}

/** `12,345`; a fraction (an average) keeps up to two decimals. */
export function formatCount(n: number): string {
  if (Number.isInteger(n)) return groupThousands(n);
  const [whole = "0", fraction = ""] = n.toFixed(2).replace(/0+$/, "").split(".");
  const grouped = groupThousands(Number(whole));
  const sign = n < 0 && whole === "-0" ? "-" : "";
  return fraction ? `${sign}${grouped}.${fraction}` : `${sign}${grouped}`;
}

/**
 * Commas every three digits. Written out rather than via Intl so output is the
 * same on every machine and locale: instructors compare screens with a class.
 */
function groupThousands(whole: number): string {
  const digits = String(Math.abs(whole));
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return whole < 0 ? `-${grouped}` : grouped;
}
