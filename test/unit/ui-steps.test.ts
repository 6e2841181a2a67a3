import assert from "node:assert/strict";
import { test } from "node:test";
import { currentIndex, initialSteps, stepBack, stepNext } from "../../src/ui/steps.ts";

test("step mode: Enter moves one beat at a time, up to the beats whose facts arrived", () => {
  let steps = initialSteps(false);
  assert.equal(currentIndex(steps, 3), -1);
  steps = stepNext(steps, 3, false);
  steps = stepNext(steps, 3, false);
  assert.equal(currentIndex(steps, 3), 1);
  steps = stepNext(steps, 3, false);
  steps = stepNext(steps, 3, false);
  assert.equal(currentIndex(steps, 3), 2, "no further than what has arrived");
  assert.equal(currentIndex(steps, 5), 2, "new beats wait for Enter");
  steps = stepBack(stepBack(steps, 5), 5);
  assert.equal(currentIndex(steps, 5), 0);
  assert.equal(steps.seen, 3);
});

test("--auto follows the newest beat until the learner goes back", () => {
  let steps = initialSteps(true);
  assert.equal(currentIndex(steps, 0), -1);
  assert.equal(currentIndex(steps, 4), 3);
  steps = stepBack(steps, 4);
  assert.equal(currentIndex(steps, 6), 2, "went back: stays");
  steps = stepNext(stepNext(stepNext(steps, 6, true), 6, true), 6, true);
  assert.equal(currentIndex(steps, 6), 5);
  assert.equal(currentIndex(steps, 7), 6, "caught up: follows again");
});
