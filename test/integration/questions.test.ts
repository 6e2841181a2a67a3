// A beat's question off a terminal: with --json it is part of the beat line,
// each choice marked right or not by this run's own fact; piped --plain asks
// nothing. The end offers the lesson's exercises and the next lesson.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ndjson, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const ENV = { XDG_CONFIG_HOME: tempDir("socket-lessons-questions-") };

test("--json: the question in its beat, judged by the run's fact; the end's next steps", async () => {
  const r = await runCli(["run", "non-blocking-send", "--json"], ENV);
  assert.equal(r.code, 0, r.stderr);
  const lines = ndjson(r.stdout);
  const sent = lines.find((l) => l.type === "fact" && l.fact === "send.returned" && l.program === "client")!;
  const beat = lines.find((l) => l.type === "beat" && l.fact === "send.returned")!;
  const q = beat.question as { choices: { text: string; right: boolean }[]; answer: string; question: string };
  assert.equal(q.question, "How much of the data it is handed will this non-blocking send() take?");
  const bytes = sent.bytes as number;
  const asked = sent.asked as number;
  assert.deepEqual(q.choices.map((c) => c.right), [bytes === asked, bytes < asked, false]);
  assert.ok(q.answer.startsWith(`${bytes.toLocaleString("en-US")} bytes of 136,314,880 bytes (`), q.answer);
  const end = lines.at(-1)!;
  assert.deepEqual(end.next, {
    exercises: [
      { id: "send-it-all", title: "Deliver all 136,314,880 bytes without blocking" },
      { id: "selectors-server", title: "Serve three clients at once with selectors" },
    ],
    lesson: { id: "cancel-connect", title: "Cancel a connect" },
  });
});

test("--plain piped asks nothing and offers the next steps before its last line", async () => {
  const r = await runCli(["run", "cancel-connect", "--plain"], ENV);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /Before it is told/);
  assert.match(
    r.stdout,
    /\nNext\n----\n- Exercise: socket-lessons exercise connect-deadline {3}\(Give up on a connect\(\) after 2 seconds\)\n- Exercise: socket-lessons exercise recv-deadline {3}\(Give up on a silent server after 1 second\)\n- Or the next lesson: socket-lessons run blocking-recv --plain {3}\(Blocking recv\)\n\nLesson over after /,
  );
});

test("--json: a number to guess carries the measured value of the beat's own fact", async () => {
  const r = await runCli(["run", "blocking-send", "--json"], ENV);
  assert.equal(r.code, 0, r.stderr);
  const lines = ndjson(r.stdout);
  const sent = lines.find((l) => l.type === "fact" && l.fact === "send.returned" && l.program === "client")!;
  const beat = lines.find((l) => l.type === "beat" && l.fact === "send.returned")!;
  const q = beat.question as { number: { field: string; measured: number }; answer: string; choices: null };
  assert.equal(q.choices, null);
  assert.deepEqual(q.number, { field: "sleeps", measured: sent.sleeps });
  assert.ok(q.answer.startsWith(`${(sent.sleeps as number).toLocaleString("en-US")} times, in `), q.answer);
});
