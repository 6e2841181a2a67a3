// A lessons folder whose text and program try to take over the terminal:
// OSC 0/2 (window title), OSC 8 (link), OSC 52 (clipboard), CSI (clear,
// colour, cursor), DCS, raw C0 and C1 characters, CR and backspace, in the
// lesson file's title, summary, port note and beats, in the program's source
// and in what it prints on stdout and stderr. Written into a temporary
// folder by the test, not kept in the repository: `cat` of such a fixture
// would do to a developer's terminal what the tests check the app never does.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp-dir.ts";

export const ESC = "\x1b";
export const BEL = "\x07";

/** Markers the tests look for: each appears only inside a hostile sequence. */
export const PWNED = "PWNED";

// YAML's double-quoted escapes (\e, \a, \x9b) give the loader real control characters.
const LESSON_YAML = String.raw`title: "Hostile \e]0;PWNED-TITLE\a text \e[31m中文 e\u0301\e[0m"
summary: "Summary \e]52;c;UFdORUQ=\a \x9b2J \e]2;PWNED-SUMMARY\a end"
port_note: "Port note \e]2;PWNED-NOTE\a\r\boverdrawn\e[2K"
programs:
  - name: server
    file: hostile_server.py
beats:
  - on: listen.returned
    program: server
    title: "Beat \e]0;PWNED-BEAT\a title"
    text: "Listening on {port}. \e]8;;http://example.com/\e\\link\e]8;;\e\\ \ePq#0;PWNED-DCS\e\\ end of beat one"
  - on: program.exited
    program: server
    text: "Exited with code {code}, last stderr: {stderr}"
`;

// Raw control characters in the source itself (a comment and a string).
const SOURCE = [
  `# A program that prints what a terminal would obey. ${ESC}]0;PWNED-SOURCE${BEL} ${ESC}[2J`,
  `# C1 in the source: \u009b31m \u009d0;PWNED-SOURCE-C1\u009c; wide: 中文字 😀; combining: e\u0301`,
  "import socket, sys",
  "",
  "s = socket.socket()",
  's.bind(("127.0.0.1", int(sys.argv[1])))',
  "s.listen(1)",
  `marker = "${ESC}]52;c;UFdORUQtU09VUkNF${BEL}"`,
  "# Bytes that are not UTF-8 at all: a raw 8-bit CSI.",
  'sys.stdout.buffer.write(b"\\x9b2J raw byte\\n")',
  "sys.stdout.flush()",
  "lines = [",
  '    "\\x1b]2;PWNED-OUT2\\x07 title",',
  '    "\\x1b]8;;http://example.com/\\x1b\\\\link\\x1b]8;;\\x1b\\\\",',
  '    "\\x1b[2J\\x1b[H\\x1b[31mred\\x1b[0m csi",',
  '    "c0 \\x01\\x08\\x7f c1 \\x9b31m\\x9d0;PWNED-C1\\x9c cr\\rover",',
  "    # The last lines: what the player's lanes show.",
  '    "\\x1b]0;PWNED-OUT0\\x07 title 中文 😀 e\\u0301",',
  '    "\\x1b]52;c;UFdORUQ=\\x07 clipboard 中文 😀 e\\u0301",',
  "]",
  "for line in lines:",
  "    print(line, flush=True)",
  '    print(line.replace("PWNED", "PWNED-ERR"), file=sys.stderr, flush=True)',
  "s.close()",
  "sys.exit(3)",
  "",
].join("\n");

/** A temporary lessons folder with the lesson `hostile`; returns its path. */
export function makeHostileLessons(): string {
  const root = tempDir("sl-hostile-");
  const dir = join(root, "hostile");
  mkdirSync(dir);
  writeFileSync(join(dir, "lesson.yaml"), LESSON_YAML);
  writeFileSync(join(dir, "hostile_server.py"), SOURCE);
  // A broken lesson whose folder name and error quote escape sequences too.
  const broken = join(root, `broken${ESC}]0;PWNED-ID${BEL}`);
  mkdirSync(broken);
  writeFileSync(join(broken, "lesson.yaml"), `title: "Broken \\e]0;PWNED-BROKEN\\a"\n`);
  return root;
}

/** Characters a terminal acts on (all C0 but newline, DEL, C1): none may reach it from a lesson. */
// deno-lint-ignore no-control-regex
export const TERMINAL_CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
