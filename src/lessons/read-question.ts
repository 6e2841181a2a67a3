// Reading a beat's `ask:`: a question the learner answers before the beat is
// told (predict, then observe). Choices, each right when its `when:` holds
// for the beat's fact, or a number the learner guesses for one of its
// fields; and the measured answer, a text filled from the fact. Pure.
import type { FactName } from "../facts/types.ts";
import { factFields, isTextField } from "../facts/vocabulary.ts";
import { nearest } from "../text/nearest.ts";
import { readCondition } from "./read-criteria.ts";
import type { Choice, Question } from "./schema.ts";
import { parseTemplate } from "./template.ts";
import {
  child,
  type Ctx,
  type Entry,
  lineOf,
  readList,
  readMap,
  readRequiredText,
  readText,
  report,
  requiredEntry,
  scalarValue,
} from "./yaml-walk.ts";

const QUESTION_KEYS = ["question", "choices", "number", "answer"] as const;
const CHOICE_KEYS = ["text", "when"] as const;
const MAX_CHOICES = 6;

export function readQuestion(ctx: Ctx, entry: Entry, on: FactName | null): Question | null {
  const map = readMap(ctx, entry.node, entry.field, entry.line, QUESTION_KEYS);
  if (map === null) return null;
  const question = readRequiredText(ctx, map, "question", "the question, asked before the beat is told");
  const hasChoices = map.entries.has("choices");
  const hasNumber = map.entries.has("number");
  if (hasChoices === hasNumber) {
    return report(
      ctx,
      map.line,
      map.field,
      "needs choices: (a list) or number: <field> (a number to guess), one of them",
    );
  }
  const choices = hasChoices && on !== null ? readChoices(ctx, map.entries.get("choices")!, on) : null;
  const number = hasNumber && on !== null ? readNumberField(ctx, map.entries.get("number")!, on) : null;
  const answerEntry = requiredEntry(ctx, map, "answer", "the measured answer, a text like {bytes|size}");
  const answerText = answerEntry === null ? null : readText(ctx, answerEntry, "the measured answer");
  let answer = null;
  if (answerText !== null && on !== null) {
    const parsed = parseTemplate(answerText, factFields(on));
    if (!parsed.ok) return report(ctx, answerEntry!.line, answerEntry!.field, parsed.error.message);
    answer = parsed.parts;
  }
  if (on === null || question === null || answer === null) return null;
  if ((hasChoices && choices === null) || (hasNumber && number === null)) return null;
  return { question, choices, number, answer };
}

function readChoices(ctx: Ctx, entry: Entry, on: FactName): Choice[] | null {
  const items = readList(ctx, entry, "a list of choices (- text: ..., when: {value: <field>, below: ...})");
  if (items === null) return null;
  if (items.length < 2 || items.length > MAX_CHOICES) {
    return report(ctx, entry.line, entry.field, `2 to ${MAX_CHOICES} choices`);
  }
  const choices = items.map((item, i) => {
    const map = readMap(ctx, item, child(entry.field, i), lineOf(ctx, item, entry.line), CHOICE_KEYS);
    if (map === null) return null;
    const text = readRequiredText(ctx, map, "text", "the choice as the learner reads it");
    const whenEntry = map.entries.get("when");
    const when = whenEntry === undefined ? null : readCondition(ctx, whenEntry, on);
    if (text === null || (whenEntry !== undefined && when === null)) return null;
    return { text, when };
  });
  return choices.every((c) => c !== null) ? choices : null;
}

function readNumberField(ctx: Ctx, entry: Entry, on: FactName): string | null {
  const value = scalarValue(entry);
  const numbers = factFields(on).filter((f) => !isTextField(f));
  if (typeof value === "string" && numbers.includes(value)) return value;
  const near = typeof value === "string" ? nearest(value, numbers) : null;
  return report(
    ctx,
    entry.line,
    entry.field,
    `${JSON.stringify(value)} is not a number field of "${on}"${near ? ` (did you mean "${near}"?)` : ""} (fields: ${
      numbers.join(", ")
    })`,
  );
}
