// Knobs: the settings a lesson lets a learner change (the send buffer, how
// much data, a reader's delay), declared in its `knobs:`, set with
// `--set name=value` or the player's form (k), and handed to the lesson's
// programs as environment variables by the runner. Pure: the checks, the
// applied settings, what the programs get and how the settings read.
//
// A knob the learner leaves alone is not passed at all, so the programs do
// what they do when run by hand (the tutorial's behaviour): a lesson's
// recordings and tests stay valid, and a setting that equals its default is
// no setting.
import type { KnobValues } from "./template.ts";
import { formatBytes, formatCount, formatMs } from "./template.ts";

export const KNOB_UNITS = ["bytes", "ms", "count"] as const;
export type KnobUnit = (typeof KNOB_UNITS)[number];

export interface KnobSpec {
  /** What `--set` and templates call it: [a-z][a-z0-9_]*. */
  readonly name: string;
  /** What it is, one line, for the form and the help. */
  readonly title: string;
  readonly unit: KnobUnit;
  readonly min: number;
  readonly max: number;
  /** What the programs do without it; null: nothing (the program's own behaviour, such as the kernel's buffer). */
  readonly default: number | null;
  /** The environment variable the programs read it from. */
  readonly env: string;
}

/** The knobs set to something other than their default: name -> value. */
export type KnobSettings = Readonly<Record<string, number>>;

/** What a lesson needs to know about its knobs (a Lesson has both). */
export interface Knobbed {
  readonly knobs: readonly KnobSpec[];
  readonly settings: KnobSettings;
}

/** A setting that cannot apply: the sentence says which knob, its range and unit. */
export class BadSetting extends Error {
  override readonly name = "BadSetting";
}

/** A value in the knob's unit, as the header and the form write it: 65536, 2 ms. */
export function formatKnobValue(knob: KnobSpec, value: number): string {
  return knob.unit === "ms" ? formatMs(value) : knob.unit === "bytes" ? formatBytes(value) : formatCount(value);
}

/** `sndbuf: bytes from 2,048 to 8,388,608 (default: not set)`: what --set and the form say of a knob. */
export function describeRange(knob: KnobSpec): string {
  const unit = knob.unit === "count" ? "a whole number" : knob.unit;
  const dflt = knob.default === null ? "not set" : formatCount(knob.default);
  return `${knob.name} takes ${unit} from ${formatCount(knob.min)} to ${formatCount(knob.max)} (default: ${dflt})`;
}

/**
 * One value as a learner types it, checked against the knob: a whole decimal
 * number (digits, `_` or `,` between groups allowed: 65_536, 65,536) in range.
 */
export function parseKnobValue(knob: KnobSpec, text: string): number {
  const digits = text.trim().replace(/(?<=\d)[_,](?=\d{3})/g, "");
  const value = /^[0-9]{1,16}$/.test(digits) ? Number(digits) : NaN;
  if (Number.isNaN(value)) throw new BadSetting(`${describeRange(knob)}, not "${text}".`);
  if (value < knob.min || value > knob.max) {
    throw new BadSetting(`${formatCount(value)} is out of range: ${describeRange(knob)}.`);
  }
  return value;
}

/** `name=value` as typed after --set. */
export function splitSetting(text: string): { readonly name: string; readonly value: string } {
  const at = text.indexOf("=");
  if (at <= 0) throw new BadSetting(`--set takes name=value, like --set sndbuf=65536, not "${text}".`);
  return { name: text.slice(0, at).trim(), value: text.slice(at + 1) };
}

/**
 * Each `name=value` checked against the lesson's knobs; later ones win. Only
 * values that differ from the knob's default are kept: those are the settings.
 */
export function resolveSettings(knobs: readonly KnobSpec[], typed: readonly string[]): KnobSettings {
  const settings: Record<string, number> = {};
  for (const text of typed) {
    const { name, value } = splitSetting(text);
    const knob = knobs.find((k) => k.name === name);
    if (knob === undefined) {
      const known = knobs.length > 0
        ? `the lesson's knobs are ${knobs.map((k) => k.name).join(", ")}`
        : "the lesson has none";
      throw new BadSetting(`no knob "${name}": ${known}.`);
    }
    const n = parseKnobValue(knob, value);
    if (n === knob.default) delete settings[name];
    else settings[name] = n;
  }
  return settings;
}

/** The lesson with these settings (already checked): what the runner, the session and the views read. */
export function withSettings<L extends Knobbed>(lesson: L, settings: KnobSettings): L {
  return { ...lesson, settings };
}

/**
 * The environment each program gets from the knobs: the set ones, and every
 * other knob's variable removed, so a variable left in the learner's shell
 * (DATA_BYTES=1 from an earlier experiment) cannot change a run unasked.
 */
export function knobEnvironment(lesson: Knobbed): {
  readonly set: Readonly<Record<string, string>>;
  readonly unset: readonly string[];
} {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const knob of lesson.knobs) {
    const value = lesson.settings[knob.name];
    if (value === undefined) unset.push(knob.env);
    else set[knob.env] = String(value);
  }
  return { set, unset };
}

/** What templates read: each knob's value (set, else its default) and which were set. */
export function knobValues(lesson: Knobbed): KnobValues {
  const values: Record<string, number | null> = {};
  for (const knob of lesson.knobs) values[knob.name] = lesson.settings[knob.name] ?? knob.default;
  return { values, set: new Set(Object.keys(lesson.settings)) };
}

/** `sndbuf=65536 data=1000000`: the settings as --set takes them back, in the lesson's order; "" for none. */
export function settingsLine(lesson: Knobbed): string {
  return lesson.knobs.flatMap((k) => {
    const value = lesson.settings[k.name];
    return value === undefined ? [] : [`${k.name}=${value}`];
  }).join(" ");
}

/** The settings as --set arguments, for a note or a replay's label. */
export function settingsArgs(lesson: Knobbed): string[] {
  return settingsLine(lesson).split(" ").filter(Boolean).map((s) => `--set ${s}`);
}

/** `sndbuf=65536 (default: not set), data=1000000 (default: 136314880)`: for --plain's opening; "" for none. */
export function settingsSentence(lesson: Knobbed): string {
  return lesson.knobs.flatMap((k) => {
    const value = lesson.settings[k.name];
    if (value === undefined) return [];
    return [`${k.name}=${value} (default: ${k.default === null ? "not set" : k.default})`];
  }).join(", ");
}
