// The code panes' source: read with a bound, sanitised where it enters the view.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { MAX_SOURCE_BYTES } from "../../src/lessons/folders.ts";
import type { Lesson } from "../../src/lessons/schema.ts";
import { loadSources } from "../../src/ui/sources.ts";
import { tempDir } from "../helpers/temp-dir.ts";

function lessonWith(files: Record<string, string>): Lesson {
  const dir = tempDir("sl-sources-");
  const programs = Object.entries(files).map(([name, text]) => {
    const file = join(dir, `${name}.py`);
    if (text === "FIFO") execFileSync("mkfifo", [file]);
    else writeFileSync(file, text);
    return { name, file, role: null, start: "at-once" as const, env: {} };
  });
  return { programs } as unknown as Lesson;
}

const lineText = (tokens: readonly { text: string }[]) => tokens.map((t) => t.text).join("");

test("control characters in a source are shown escaped, tabs at Python's stops", () => {
  const sources = loadSources(lessonWith({ server: "# \x1b]0;x\x07\nif True:\n\tprint('\x9b')\n" }));
  assert.deepEqual(sources.get("server")!.map(lineText), ["# \\x1b]0;x\\x07", "if True:", "        print('\\x9b')"]);
});

test("a FIFO is not opened; a source over the bound is shown up to it, and says so", () => {
  const big = `${"x = 1\n".repeat(Math.ceil((MAX_SOURCE_BYTES + 10_000) / 6))}`;
  const sources = loadSources(lessonWith({ fifo: "FIFO", big }));
  assert.deepEqual(sources.get("fifo")!.map(lineText), [
    "# source not shown: the file is a FIFO (named pipe), not a regular file",
  ]);
  const lines = sources.get("big")!.map(lineText);
  assert.equal(lines.at(-1), "# (the rest is not shown: only the first 256 KiB)");
  assert.equal(lines.slice(0, -1).join("\n").length, MAX_SOURCE_BYTES);
});
