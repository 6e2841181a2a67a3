// A small Python highlighter for the code pane: keywords, builtins, strings,
// numbers, comments. Line by line, carrying only whether a triple-quoted
// string is still open. Pure; good enough for the lesson programs, not a
// parser.

export type TokenKind = "keyword" | "builtin" | "string" | "number" | "comment" | "plain";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
]);

const BUILTINS = new Set([
  "print",
  "len",
  "int",
  "str",
  "bytes",
  "range",
  "open",
  "float",
  "bool",
  "list",
  "dict",
  "set",
  "tuple",
  "isinstance",
  "repr",
  "min",
  "max",
  "sum",
  "abs",
  "enumerate",
  "zip",
  "map",
  "filter",
  "sorted",
  "input",
  "Exception",
  "BlockingIOError",
  "OSError",
  "ConnectionError",
  "TimeoutError",
  "KeyboardInterrupt",
  "self",
]);

// A string may start with prefixes like b, r, f, rb, br (any case).
const STRING_START = /^(?:[rRbBfFuU]{1,2})?("""|'''|"|')/;
const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?j?|\.\d+)/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Tokens per line of `source`; joining a line's tokens gives the line back. */
export function highlightPython(source: string): Token[][] {
  const out: Token[][] = [];
  let openQuote: string | null = null; // an unterminated triple-quoted string from earlier lines
  for (const line of source.replace(/\r\n?/g, "\n").split("\n")) {
    const tokens: Token[] = [];
    const push = (kind: TokenKind, text: string) => {
      if (!text) return;
      const last = tokens[tokens.length - 1];
      if (last && last.kind === kind) tokens[tokens.length - 1] = { kind, text: last.text + text };
      else tokens.push({ kind, text });
    };
    let i = 0;
    if (openQuote) {
      const end = line.indexOf(openQuote);
      if (end === -1) {
        push("string", line);
        out.push(tokens);
        continue;
      }
      push("string", line.slice(0, end + 3));
      i = end + 3;
      openQuote = null;
    }
    while (i < line.length) {
      const rest = line.slice(i);
      const ch = rest[0]!;
      if (ch === "#") {
        push("comment", rest);
        break;
      }
      const str = STRING_START.exec(rest);
      if (str) {
        const quote = str[1]!;
        const start = str[0].length;
        const end = findClosing(rest, start, quote);
        if (end === -1) {
          push("string", rest);
          if (quote.length === 3) openQuote = quote;
          break;
        }
        push("string", rest.slice(0, end));
        i += end;
        continue;
      }
      const word = WORD.exec(rest);
      if (word) {
        const w = word[0];
        push(KEYWORDS.has(w) ? "keyword" : BUILTINS.has(w) ? "builtin" : "plain", w);
        i += w.length;
        continue;
      }
      const num = NUMBER.exec(rest);
      if (num && !/[A-Za-z_]/.test(line[i - 1] ?? "")) {
        push("number", num[0]);
        i += num[0].length;
        continue;
      }
      push("plain", ch);
      i++;
    }
    out.push(tokens);
  }
  return out;
}

/** Index just after the closing quote, or -1 if the string does not end on this line. */
function findClosing(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") {
      i++;
      continue;
    }
    if (text.startsWith(quote, i)) return i + quote.length;
  }
  return -1;
}
