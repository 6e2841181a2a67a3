// Predict, then observe, in --plain on a terminal: the beat's question comes
// before the beat is told, the answer is typed, and the measured answer is
// shown beside it; the answer is kept in the progress file. Piped, nothing
// is asked (test/integration/questions.test.ts).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers/temp-dir.ts";
import { CLI, KEY, screensForTests } from "./pty.ts";

const open = screensForTests("socket-lessons-predict-");

test("--plain on a terminal asks before the beat, then shows the measured answer beside the learner's", async () => {
  const config = tempDir("socket-lessons-predict-config-");
  const screen = open({
    shell: `exec '${process.execPath}' '${CLI}' run non-blocking-send --plain`,
    env: { XDG_CONFIG_HOME: config },
  });
  await screen.waitFor(
    () => screen.raw.includes("Your answer (1-3, or Enter to skip):"),
    "the question's prompt",
    60_000,
  );
  assert.match(
    screen.raw,
    /\? Before it is told: How much of the data it is handed will this non-blocking send\(\) take\?/,
  );
  assert.match(screen.raw, /1\. All of them\r?\n\s+2\. Only what fits in the send buffer\r?\n\s+3\. None/);
  assert.doesNotMatch(screen.raw, /send\(\) returns at once, with part of the data/, "the beat waits for the answer");
  screen.press(`2${KEY.enter}`);
  await screen.waitFor(() => /Lesson over after/.test(screen.raw), "the end", 60_000);
  const raw = screen.raw.replace(/\r/g, "");
  const took = /it took ([\d,]+) bytes of the 136,314,880 bytes/.exec(raw);
  assert.ok(took, "the beat, told after the answer");
  assert.ok(raw.indexOf("Your answer") < raw.indexOf("send() returns at once, with part of the data"));
  const size =
    /You said: Only what fits in the send buffer\. Measured: ([\d,]+) bytes of 136,314,880 bytes \(([\d.]+ MiB)\)\. Right\./
      .exec(raw);
  assert.ok(size, raw.slice(raw.indexOf("You said"), raw.indexOf("You said") + 200));
  assert.equal(size[1], took[1], "the measured answer is the beat's own fact");
  assert.equal(await screen.exited, 0);
  const progress = JSON.parse(readFileSync(join(config, "socket-lessons", "progress.json"), "utf8"));
  assert.deepEqual(
    { ...progress.answers["non-blocking-send"]["4"], at: "" },
    { answer: 2, right: true, measured: `${took[1]} bytes of 136,314,880 bytes (${size[2]})`, at: "" },
  );
});
