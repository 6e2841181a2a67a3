// A learner's answer to a beat's question, beside what the run measured.
// Pure: the views ask and show; this says whether the answer was right.
import { formatValue } from "../lessons/template.ts";
import { fieldFormat } from "../facts/vocabulary.ts";
import type { QuestionView } from "./beats.ts";

export interface AnswerVerdict {
  /** Right or not (a choice); null for a number guessed, or a choice the fact cannot tell. */
  readonly right: boolean | null;
  /** What the learner said, in words. */
  readonly said: string;
  /** The sentence shown after the beat. */
  readonly line: string;
}

/** `answer`: a choice's number (from 1), or the number guessed. */
export function answerVerdict(q: QuestionView, answer: number, fact: string | null): AnswerVerdict {
  if (q.choices !== null) {
    const choice = q.choices[answer - 1];
    const said = choice?.text ?? String(answer);
    const right = choice?.right ?? null;
    const rightOnes = q.choices.filter((c) => c.right === true).map((c) => c.text);
    const judged = right === true
      ? "Right."
      : right === false
      ? rightOnes.length > 0 ? `Not this time: ${rightOnes.join("; ")}.` : "None of the choices was what happened."
      : "This run cannot tell.";
    return { right, said, line: `You said: ${said}. Measured: ${q.answer}. ${judged}` };
  }
  const field = q.number!.field;
  const format = fact === null ? "count" : fieldFormat(fact, field);
  const said = formatValue(answer, format);
  const measured = q.number!.measured;
  const ratio = measured === null || answer === 0 || measured === 0 ? "" : ` (${ratioWords(measured / answer)})`;
  return { right: null, said, line: `You guessed ${said}. Measured: ${q.answer}${ratio}.` };
}

function ratioWords(r: number): string {
  if (r >= 0.9 && r <= 1.1) return "about what you guessed";
  return r > 1
    ? `${formatValue(r, "count")} times your guess`
    : `${formatValue(1 / r, "count")} times less than your guess`;
}

/** Reads a typed answer: a choice's number or a number (with commas, or a unit after it); null if it is none. */
export function parseAnswer(q: QuestionView, text: string): number | null {
  const t = text.trim().replace(/,/g, "").replace(/\s*(ms|bytes?|b|times)$/i, "");
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  if (q.choices !== null) return Number.isInteger(n) && n >= 1 && n <= q.choices.length ? n : null;
  return n;
}
