// Text from outside the app made safe to print on a terminal: what a lesson
// program prints, its source, a lesson file's text, and error messages that
// quote them. A terminal obeys control characters and escape sequences in
// whatever it is sent: OSC 0/2 rename the window, OSC 52 writes the
// clipboard, OSC 8 makes links, CSI moves the cursor and rewrites what is
// shown, CR and backspace draw over text. None of that may come from a
// lesson. So every such character is shown as the escape Python's repr()
// uses (ESC as \x1b, CR as \r, C1's CSI as \x9b), which a learner of the
// Python programs recognises, and the sequence it started is left as plain,
// harmless text. A backslash is left as it is: source code is full of
// them, and doubling each would make the programs unreadable.
//
// Also escaped, since a terminal draws them differently from how the app
// measures them (and Ink lays out): format characters such as zero-width
// spaces, soft hyphens and the bidirectional overrides that can make source
// code read differently from how it runs ("Trojan Source"). Kept: the
// zero-width joiner and non-joiner, and emoji tag characters, which are
// parts of emoji and scripts. A combining mark with nothing to combine with
// at the start of a line is put on U+25CC (a dotted circle, Unicode's own
// convention), so it cannot join the border drawn before it.
//
// Pure: the view layer calls it at the one place each kind of text enters
// it; --json is not a terminal and keeps the raw text (JSON escapes it).

/** Python's tab stops: the code panes show a tab where Python's indentation puts it. */
export const TAB_STOP = 8;

const DOTTED_CIRCLE = "\u25cc";

// Printable ASCII (most text) needs nothing: a test that also spares `list`
// compiling the Unicode property classes below (about 0.5 ms of its start).
const PLAIN_LINE = /^[\x20-\x7e]*$/;
const PLAIN_TEXT = /^[\x20-\x7e\n]*$/;
// Anything that needs a second look; text without it is returned as it is.
// deno-lint-ignore no-control-regex
const SUSPECT = /[\x00-\x1f\x7f-\x9f\p{Cf}\p{Cs}\u2028\u2029]|^\p{M}/u;
// Format characters that are parts of emoji sequences and joined scripts.
const KEPT_FORMAT = /^[\u200c\u200d\u{e0020}-\u{e007f}]$/u;
const FORMAT = /^[\p{Cf}\p{Cs}\u2028\u2029]$/u;
const COMBINING = /^\p{M}/u;

/** One line: every control character shown as an escape, a newline too (as \n). */
export function safeLine(text: string): string {
  if (PLAIN_LINE.test(text) || !SUSPECT.test(text)) return text;
  return escapeLine(text, true);
}

/**
 * Text of several lines: line breaks (LF or CRLF) kept, each line as
 * safeLine makes it. A lone CR is shown as \r: it would draw over the line.
 */
export function safeText(text: string): string {
  if (PLAIN_TEXT.test(text)) return text;
  if (!SUSPECT.test(text)) return text;
  return text.split(/\r?\n/).map((line) => escapeLine(line, false)).join("\n");
}

function escapeLine(line: string, newlines: boolean): string {
  let out = COMBINING.test(line) ? DOTTED_CIRCLE : "";
  let column = 0; // in code points since the line began: enough for tab stops
  for (const ch of line) {
    const code = ch.codePointAt(0)!;
    let shown: string;
    if (ch === "\t") shown = " ".repeat(TAB_STOP - (column % TAB_STOP));
    else if (ch === "\n") shown = newlines ? "\\n" : ch;
    else if (ch === "\r") shown = "\\r";
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) shown = `\\x${hex(code, 2)}`;
    else if (code > 0x9f && FORMAT.test(ch) && !KEPT_FORMAT.test(ch)) {
      shown = code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`;
    } else shown = ch;
    out += shown;
    column += shown === ch ? 1 : shown.length;
  }
  return out;
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, "0");
}

/**
 * JSON text made safe for a terminal without changing what it parses to:
 * JSON.stringify escapes C0 but leaves DEL and C1 raw, and a terminal can
 * take U+009B for CSI. Outside strings JSON is ASCII, so every such
 * character is inside a string, where \u escapes mean the same.
 */
export function safeJson(json: string): string {
  return json.replace(/[\x7f-\x9f]/g, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`);
}
