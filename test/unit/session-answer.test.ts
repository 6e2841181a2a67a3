// A learner's answer beside the run's: right or not for a choice, the ratio
// for a number guessed; and what a typed answer reads as.
import assert from "node:assert/strict";
import { test } from "node:test";
import { answerVerdict, parseAnswer } from "../../src/session/answer.ts";
import type { QuestionView } from "../../src/session/beats.ts";

const CHOICES: QuestionView = {
  question: "How much?",
  choices: [{ text: "All", right: false }, { text: "Part", right: true }, { text: "None", right: false }],
  number: null,
  answer: "3,919,467 bytes of 136,314,880 bytes (3.7 MiB)",
};

const GUESS: QuestionView = {
  question: "How many sleeps?",
  choices: null,
  number: { field: "sleeps", measured: 88 },
  answer: "88 times, in 1,563 ms",
};

test("a choice: right, or the right one said", () => {
  assert.equal(
    answerVerdict(CHOICES, 2, "send.returned").line,
    "You said: Part. Measured: 3,919,467 bytes of 136,314,880 bytes (3.7 MiB). Right.",
  );
  const wrong = answerVerdict(CHOICES, 1, "send.returned");
  assert.equal(wrong.right, false);
  assert.match(wrong.line, /Not this time: Part\.$/);
});

test("a number: the measured one beside it, and how far off", () => {
  assert.equal(
    answerVerdict(GUESS, 1, "send.returned").line,
    "You guessed 1. Measured: 88 times, in 1,563 ms (88 times your guess).",
  );
  assert.match(answerVerdict(GUESS, 90, "send.returned").line, /\(about what you guessed\)\.$/);
  assert.equal(answerVerdict(GUESS, 90, "send.returned").right, null);
});

test("typed answers: a choice's number in range; a number with commas or a unit", () => {
  assert.equal(parseAnswer(CHOICES, " 2 "), 2);
  assert.equal(parseAnswer(CHOICES, "4"), null);
  assert.equal(parseAnswer(CHOICES, "two"), null);
  assert.equal(parseAnswer(GUESS, "1,500 ms"), 1500);
  assert.equal(parseAnswer(GUESS, "-3"), null);
});
