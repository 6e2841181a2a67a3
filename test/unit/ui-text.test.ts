import assert from "node:assert/strict";
import { test } from "node:test";
import stringWidth from "string-width";
import {
  cellWidth,
  clampLines,
  firstFitting,
  fitLine,
  ONE_CELL_EACH,
  padCells,
  spread,
  takeCells,
  wrapWords,
} from "../../src/ui/text.ts";

test("fitLine cuts at a word boundary and marks the cut", () => {
  assert.equal(fitLine("send() copies them into the buffer", 20), "send() copies them…");
  assert.equal(fitLine("short", 20), "short");
  assert.equal(cellWidth(fitLine("send() copies them into the buffer", 20)), 19);
});

test("fitLine cuts inside a word only when one word is wider than the width", () => {
  assert.equal(fitLine("socket_lessons_program", 8), "socket_…");
  assert.equal(fitLine("anything", 1), "…");
  assert.equal(fitLine("anything", 0), "");
});

test("wrapWords reflows single newlines, keeps paragraphs and never splits a word that fits", () => {
  const text =
    "The client's send queue reached 4,152,454 bytes;\nthe buffer's size is 4,194,304 bytes.\n\nNext paragraph.";
  const lines = wrapWords(text, 24);
  assert.deepEqual(lines, [
    "The client's send queue",
    "reached 4,152,454 bytes;",
    "the buffer's size is",
    "4,194,304 bytes.",
    "",
    "Next paragraph.",
  ]);
  for (const line of lines) assert.ok(cellWidth(line) <= 24);
  assert.equal(lines.join(" ").replace(/\s+/g, " "), text.replace(/\s+/g, " "));
});

test("wrapWords splits a word longer than the width, the only break inside a word", () => {
  assert.deepEqual(wrapWords("a sock_alloc_send_pskb b", 10), ["a", "sock_alloc", "_send_pskb", "b"]);
});

test("spread puts right text at the end and gives way on the left", () => {
  assert.equal(spread("4/11 · One send()", "at 1.93 s", 30), "4/11 · One send()    at 1.93 s");
  assert.equal(cellWidth(spread("a very long left side text here", "at 1.93 s", 24)), 24);
  assert.match(spread("a very long left side text here", "at 1.93 s", 24), /^a very long… +at 1\.93 s$/);
});

test("padCells, firstFitting and clampLines", () => {
  assert.equal(padCells("ab", 4), "ab  ");
  assert.equal(firstFitting(["long variant", "short"], 6), "short");
  assert.equal(firstFitting(["long variant here", "still too long"], 9), "still…");
  assert.deepEqual(clampLines(["one two", "three four", "five"], 2, 12), ["one two", "three four…"]);
  assert.deepEqual(clampLines(["one"], 2, 12), ["one"]);
});

test("wide and combining characters are measured in cells, and never cut in half", () => {
  assert.equal(cellWidth("中文"), 4);
  assert.equal(cellWidth("😀 ok"), 5);
  assert.equal(cellWidth("e\u0301te\u0301"), 3);
  assert.equal(takeCells("中文字", 3), "中"); // the second character would stick out by one cell
  assert.equal(takeCells("e\u0301e\u0301e\u0301", 2), "e\u0301e\u0301");
  assert.equal(takeCells("👨\u200d👩\u200d👧 family", 2), "👨\u200d👩\u200d👧");
  assert.equal(padCells("中", 4), "中  ");
  assert.equal(cellWidth(padCells("送信 バッファ が いっぱい", 11)), 11);
  for (const line of wrapWords("送信バッファがいっぱい 😀😀😀 e\u0301e\u0301e\u0301e\u0301", 5)) {
    assert.ok(cellWidth(line) <= 5, line);
  }
  assert.deepEqual(wrapWords("中文", 1), ["…", "…"]);
});

test("the characters measured without string-width are each one cell to string-width too", () => {
  let checked = 0;
  for (let code = 0; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCharCode(code);
    if (!ONE_CELL_EACH.test(ch)) continue;
    assert.equal(stringWidth(ch), 1, `U+${code.toString(16)}`);
    checked++;
  }
  assert.ok(checked > 1000, `${checked} characters`);
  assert.equal(cellWidth("▕██░░▏ 3.7 MiB · peak ✓ ⠸ ←"), 27);
});
