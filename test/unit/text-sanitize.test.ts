import assert from "node:assert/strict";
import { test } from "node:test";
import { safeJson, safeLine, safeText } from "../../src/text/sanitize.ts";

const ESC = "\x1b";
const BEL = "\x07";

/** Nothing a terminal would act on: no C0 but LF, no DEL, no C1. */
function inert(text: string): boolean {
  // deno-lint-ignore no-control-regex
  return !/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(text);
}

test("OSC sequences (title, link, clipboard) are shown, not run", () => {
  const title = `${ESC}]0;PWNED${BEL}`;
  const clipboard = `${ESC}]52;c;aGVsbG8=${BEL}`;
  const link = `${ESC}]8;;https://example.com${ESC}\\click${ESC}]8;;${ESC}\\`;
  assert.equal(safeLine(title), "\\x1b]0;PWNED\\x07");
  assert.equal(safeLine(clipboard), "\\x1b]52;c;aGVsbG8=\\x07");
  assert.equal(safeLine(link), "\\x1b]8;;https://example.com\\x1b\\click\\x1b]8;;\\x1b\\");
  for (const text of [title, clipboard, link]) assert.ok(inert(safeLine(text)));
});

test("CSI, DCS, raw C0 and C1 bytes, DEL, CR and backspace are shown as Python's repr shows them", () => {
  assert.equal(safeLine(`${ESC}[2J${ESC}[31mred${ESC}[0m`), "\\x1b[2J\\x1b[31mred\\x1b[0m");
  assert.equal(safeLine(`${ESC}P1$r${ESC}\\`), "\\x1bP1$r\\x1b\\");
  assert.equal(safeLine("a\x00b\x08c\x7fd\re"), "a\\x00b\\x08c\\x7fd\\re");
  assert.equal(safeLine("\x9b31m\x9d0;t\x9c\x85"), "\\x9b31m\\x9d0;t\\x9c\\x85");
  assert.equal(safeLine("one\ntwo"), "one\\ntwo");
});

test("text that needs nothing comes back as it is, backslashes and all", () => {
  const plain = 'data = ("Hello Python\\n" * 10).encode()  # é 中文 😀';
  assert.equal(safeLine(plain), plain);
  assert.equal(safeText(`${plain}\n${plain}`), `${plain}\n${plain}`);
});

test("safeText keeps line breaks (CRLF too) and escapes a lone CR", () => {
  assert.equal(safeText("first\r\nsecond\nthird\rover"), "first\nsecond\nthird\\rover");
  assert.equal(safeText(`title${ESC}]2;x${BEL}\nnext`), "title\\x1b]2;x\\x07\nnext");
});

test("tabs expand to Python's tab stops", () => {
  assert.equal(safeLine("\tx"), "        x");
  assert.equal(safeLine("ab\tx"), "ab      x");
  assert.equal(safeText("if x:\n\tpass\n    \tpass"), "if x:\n        pass\n        pass");
  // An escape takes its shown width: the tab stops after it.
  assert.equal(safeLine("\x1b\tx"), "\\x1b    x");
});

test("format characters that a terminal draws unlike the app measures are shown; emoji parts are kept", () => {
  assert.equal(safeLine("a\u202eb\u2066c"), "a\\u202eb\\u2066c"); // bidi override, isolate
  assert.equal(safeLine("zero\u200bwidth soft\u00adhyphen"), "zero\\u200bwidth soft\\u00adhyphen");
  assert.equal(safeLine("line\u2028sep"), "line\\u2028sep");
  assert.equal(safeLine("\ufeffprint()"), "\\ufeffprint()");
  assert.equal(safeLine("lone \ud800 half"), "lone \\ud800 half");
  const family = "👨\u200d👩\u200d👧";
  const england = "🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}";
  assert.equal(safeLine(family), family);
  assert.equal(safeLine(england), england);
  assert.equal(safeLine("\u{e0001}"), "\\U000e0001");
});

test("a combining mark with nothing to combine with sits on a dotted circle", () => {
  assert.equal(safeLine("\u0301x"), "\u25cc\u0301x");
  assert.equal(safeText("a\n\u0301b"), "a\n\u25cc\u0301b");
  assert.equal(safeLine("e\u0301"), "e\u0301");
});

test("safeJson escapes DEL and C1, which JSON.stringify leaves raw, and parses to the same text", () => {
  const raw = { text: `\x1b]0;t\x07 \x9b31m \x7f \x85 中文` };
  const json = safeJson(JSON.stringify(raw));
  // deno-lint-ignore no-control-regex
  assert.ok(!/[\x00-\x1f\x7f-\x9f]/.test(json), json);
  assert.match(json, /\\u009b31m \\u007f \\u0085/);
  assert.deepEqual(JSON.parse(json), raw);
});
