// Text from a hostile lesson folder, its program and a hostile Python through
// the text outputs (list, --plain, doctor, error messages): what reaches the
// terminal has no control character a terminal would act on (`cat -v` would
// show none), and the text is there to read, escaped. --json keeps it raw.
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { ndjson, runCli } from "../helpers/cli.ts";
import { BEL, ESC, makeHostileLessons, TERMINAL_CONTROLS } from "../helpers/hostile-lessons.ts";
import { tempDir } from "../helpers/temp-dir.ts";

let dir = "";
before(() => {
  dir = makeHostileLessons();
});

function assertInert(output: string, what: string): void {
  const found = TERMINAL_CONTROLS.exec(output);
  assert.equal(found, null, `${what}: a raw control character (${JSON.stringify(found?.[0])}) in\n${output}`);
}

test("list: titles, summaries, ids and lesson errors are shown escaped", async () => {
  const r = await runCli(["list", "--lessons", dir]);
  assert.equal(r.code, 0, r.stderr);
  assertInert(r.stdout, "stdout");
  assertInert(r.stderr, "stderr");
  assert.ok(r.stdout.includes("hostile  Hostile \\x1b]0;PWNED-TITLE\\x07 text \\x1b[31m中文 e\u0301\\x1b[0m"));
  assert.ok(r.stdout.includes("Summary \\x1b]52;c;UFdORUQ=\\x07 \\x9b2J \\x1b]2;PWNED-SUMMARY\\x07 end"));
  assert.match(r.stderr, /broken\\x1b\]0;PWNED-ID\\x07\/lesson\.yaml:1: summary: missing/);
});

test("list --json keeps the raw text: JSON escapes it itself", async () => {
  const r = await runCli(["list", "--json", "--lessons", dir]);
  assert.equal(r.code, 0, r.stderr);
  assertInert(r.stdout, "the JSON text");
  const [lesson] = JSON.parse(r.stdout) as { id: string; title: string }[];
  assert.equal(lesson!.title, `Hostile ${ESC}]0;PWNED-TITLE${BEL} text ${ESC}[31m中文 e\u0301${ESC}[0m`);
});

test("run --plain: lesson text, beats and the program's stderr are shown escaped", async () => {
  const r = await runCli(["run", "hostile", "--plain", "--lessons", dir]);
  assert.equal(r.code, 1, "the program exits 3: a failed lesson program");
  assertInert(r.stdout, "stdout");
  assertInert(r.stderr, "stderr");
  const out = r.stdout;
  assert.ok(out.includes("Hostile \\x1b]0;PWNED-TITLE\\x07 text"), out);
  assert.ok(out.includes("Port note \\x1b]2;PWNED-NOTE\\x07\\r\\x08overdrawn\\x1b[2K"), out);
  assert.ok(out.includes("[1] Beat \\x1b]0;PWNED-BEAT\\x07 title"), out);
  assert.ok(out.includes("\\x1b]8;;http://example.com/\\x1b\\link\\x1b]8;;\\x1b\\ \\x1bPq#0;PWNED-DCS\\x1b\\"), out);
  assert.ok(out.includes("!   c0 \\x01\\x08\\x7f c1 \\x9b31m\\x9d0;PWNED-ERR-C1\\x9c cr\\rover"), out);
  assert.ok(out.includes("!   \\x1b]52;c;UFdORUQ=\\x07 clipboard 中文 😀 e\u0301"), out);
});

test("run --json keeps the program's raw output in the facts", async () => {
  const r = await runCli(["run", "hostile", "--json", "--lessons", dir]);
  assertInert(r.stdout, "the JSON text");
  const exited = ndjson(r.stdout).find((l) => l.type === "fact" && l.fact === "program.exited")!;
  assert.ok(String(exited.stderr).includes(`${ESC}]52;c;UFdORUQ=${BEL} clipboard`), String(exited.stderr));
});

test("an error quoting what the user typed is shown escaped", async () => {
  const r = await runCli(["run", `x${ESC}]0;PWNED${BEL}`, "--plain", "--lessons", dir]);
  assert.equal(r.code, 2);
  assertInert(r.stderr, "stderr");
  assert.match(r.stderr, /Unknown lesson "x\\x1b\]0;PWNED\\x07"\./);
});

test("doctor: what a Python prints, and its path, are shown escaped", async () => {
  // A stand-in Python whose file name has a title sequence in it, with a good
  // version check and a socket check that fails with an OSC 52 on stderr.
  const fake = join(tempDir("sl-hostile-py-"), `py${ESC}]0;PWNED${BEL}thon3`);
  writeFileSync(
    fake,
    [
      "#!/bin/sh",
      `if [ $# -gt 2 ]; then printf 'Traceback\\n\\033]52;c;UFdORUQ=\\007 boom\\n' >&2; exit 1; fi`,
      `printf '3.11.4\\n%s\\n\\n' "$0"`,
      "",
    ].join("\n"),
  );
  chmodSync(fake, 0o755);
  const r = await runCli(["doctor", "--python", fake]);
  assertInert(r.stdout, "stdout");
  assert.match(r.stdout, /Python +3\.11\.4 \(\/.*\/py\\x1b\]0;PWNED\\x07thon3\)/);
  assert.match(r.stdout, /socket queues +the check failed: \\x1b\]52;c;UFdORUQ=\\x07 boom/);
  const json = await runCli(["doctor", "--json", "--python", fake]);
  assertInert(json.stdout, "the JSON text");
  const checks = JSON.parse(json.stdout).checks as { name: string; detail: string }[];
  assert.ok(checks.find((c) => c.name === "Python")!.detail.includes(`py${ESC}]0;PWNED${BEL}thon3`));
});
