// Beat text templates: prose with `{field}` / `{field|format}` placeholders
// filled from a fact's measured values. Pure: the schema validates templates
// at load time, the session fills them when a fact arrives.
//
// Braces follow Python's str.format, which the lesson authors already know
// from the programs: `{{` is a literal `{`, `}}` a literal `}`, and a lone `}`
// is an error, because it is nearly always a typo for a placeholder such as
// `{line}}`. Spaces inside a placeholder are allowed: `{ bytes | size }`.

export const TEMPLATE_FORMATS = ["bytes", "size", "ms", "count"] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "field"; readonly field: string; readonly format: TemplateFormat | null };

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

/**
 * Splits a template into literal text and placeholders. With `fields`, a
 * placeholder naming anything else is an error, so a typo in a lesson file is
 * caught when the lesson loads, not when the beat is shown mid-run.
 */
export function parseTemplate(text: string, fields?: readonly string[]): TemplateResult {
  const parts: TemplatePart[] = [];
  let literal = "";
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
      const parsed = parsePlaceholder(raw, fields);
      if ("message" in parsed) return fail(raw, i, parsed.message);
      if (literal) parts.push({ kind: "text", text: literal });
      literal = "";
      parts.push(parsed);
      i = close + 1;
    } else {
      literal += ch;
      i += 1;
    }
  }
  if (literal) parts.push({ kind: "text", text: literal });
  return { ok: true, parts };
}

function fail(placeholder: string, offset: number, message: string): TemplateResult {
  return { ok: false, error: { placeholder, offset, message } };
}

function parsePlaceholder(
  raw: string,
  fields: readonly string[] | undefined,
): TemplatePart | { readonly message: string } {
  const inner = raw.slice(1, -1);
  if (inner.includes("{")) return { message: `"{" inside placeholder ${raw}: write "{{" for a literal brace` };
  const [rawField = "", rawFormat, ...extra] = inner.split("|").map((s) => s.trim());
  if (extra.length > 0) return { message: `placeholder ${raw} has more than one "|"` };
  if (!FIELD_NAME.test(rawField)) {
    return { message: `placeholder ${raw} needs a field name like {bytes} (write "{{" for a literal brace)` };
  }
  if (fields && !fields.includes(rawField)) {
    return { message: `unknown field "${rawField}" in ${raw} (fields: ${fields.join(", ")})` };
  }
  if (rawFormat === undefined) return { kind: "field", field: rawField, format: null };
  if (!isFormat(rawFormat)) {
    return { message: `unknown format "${rawFormat}" in ${raw} (formats: ${TEMPLATE_FORMATS.join(", ")})` };
  }
  return { kind: "field", field: rawField, format: rawFormat };
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
): string {
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") out += part.text;
    else {
      const value = values[part.field];
      out += value === null || value === undefined
        ? (nulls[part.field] ?? UNKNOWN_VALUE)
        : formatValue(value, part.format);
    }
  }
  return out;
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
