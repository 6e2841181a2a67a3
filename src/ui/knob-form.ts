// The player's knob form (k): the lesson's knobs with their values, edited in
// place; Enter runs the lesson again with them, Esc leaves them as they were.
// Pure: the form's state and what each key does to it; KnobForm.tsx draws it.
import type { Key } from "ink";
import { BadSetting, type KnobSettings, type KnobSpec, parseKnobValue } from "../lessons/knobs.ts";

export interface KnobFormState {
  readonly knobs: readonly KnobSpec[];
  /** What is typed for each knob; "" means its default (not set). */
  readonly texts: readonly string[];
  readonly selected: number;
  /** Enter found a value that cannot apply: the form stays, and says so under the knob. */
  readonly tried: boolean;
}

export type KnobFormResult =
  | { readonly kind: "edit"; readonly form: KnobFormState }
  | { readonly kind: "apply"; readonly settings: KnobSettings }
  | { readonly kind: "cancel" };

/** The digits a value may have: a whole number (a knob is at most 2^53). */
const MAX_DIGITS = 16;

export function openKnobForm(knobs: readonly KnobSpec[], settings: KnobSettings): KnobFormState {
  return {
    knobs,
    texts: knobs.map((k) => (settings[k.name] === undefined ? "" : String(settings[k.name]))),
    selected: 0,
    tried: false,
  };
}

/** Why the typed value of knob i cannot apply; null: it can ("" is the default). */
export function knobProblem(form: KnobFormState, i: number): string | null {
  const text = form.texts[i] ?? "";
  const knob = form.knobs[i];
  if (text === "" || knob === undefined) return null;
  try {
    parseKnobValue(knob, text);
    return null;
  } catch (error) {
    if (error instanceof BadSetting) return error.message;
    throw error;
  }
}

/** The settings the form says, when every value can apply: only those that differ from their default. */
export function formSettings(form: KnobFormState): KnobSettings | null {
  const settings: Record<string, number> = {};
  for (const [i, knob] of form.knobs.entries()) {
    if (knobProblem(form, i) !== null) return null;
    const text = form.texts[i] ?? "";
    if (text === "") continue;
    const value = parseKnobValue(knob, text);
    if (value !== knob.default) settings[knob.name] = value;
  }
  return settings;
}

export function knobFormKey(form: KnobFormState, input: string, key: Key): KnobFormResult {
  const edit = (change: Partial<KnobFormState>): KnobFormResult => ({ kind: "edit", form: { ...form, ...change } });
  const count = form.knobs.length;
  if (key.escape) return { kind: "cancel" };
  if (key.return) {
    if (count === 0) return { kind: "cancel" };
    const settings = formSettings(form);
    if (settings !== null) return { kind: "apply", settings };
    const first = form.knobs.findIndex((_, i) => knobProblem(form, i) !== null);
    return edit({ tried: true, selected: first });
  }
  if (count === 0) return edit({});
  if (key.upArrow || (key.tab && key.shift)) return edit({ selected: (form.selected - 1 + count) % count });
  if (key.downArrow || key.tab) return edit({ selected: (form.selected + 1) % count });
  const text = form.texts[form.selected] ?? "";
  const texts = (next: string) => form.texts.map((t, i) => (i === form.selected ? next : t));
  if (key.backspace || key.delete) return edit({ texts: texts(text.slice(0, -1)) });
  // d: back to the default (an empty field).
  if (input === "d") return edit({ texts: texts("") });
  if (/^[0-9]$/.test(input) && text.length < MAX_DIGITS) return edit({ texts: texts(text + input) });
  return edit({});
}
