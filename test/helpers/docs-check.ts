// The docs check: every `socket-lessons ...` command the docs give parses
// with the real command line (parseOnly), every lesson id they name exists,
// and every repository path and relative link (with its #anchor) they name
// is there. A command shown with its error under it (`$ socket-lessons ...`
// and then `socket-lessons: <sentence>`) must be refused with that sentence.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseOnly } from "../../src/cli/program.ts";
import { lessonWithSettings } from "../../src/commands/lessons.ts";
import { loadLessons } from "../../src/lessons/load.ts";
import type { Lesson } from "../../src/lessons/schema.ts";
import { UserError } from "../../src/runner/errors.ts";

export interface DocFile {
  /** Relative to the repository's root: README.md, docs/teaching.md. */
  readonly name: string;
  readonly text: string;
}

interface Found {
  readonly line: number;
  readonly text: string;
}

interface Command extends Found {
  readonly argv: readonly string[];
  /** The error sentence the doc shows under the command, if it shows one. */
  readonly refusal: string | null;
}

/** How the docs start the app; what follows is socket-lessons' own argv. */
const LAUNCHERS = [
  /^(?:npx )?socket-lessons(?=\s|$)/,
  /^npx (?:--yes )?\.\/socket-lessons-[\d.]+\.tgz(?=\s|$)/, // the package packed from the repository
  /^npm start --(?=\s|$)/,
  /^npm start$/,
  /^npx deno task start(?=\s|$)/,
];

/** Paths in the repository the docs may name (built ones, dist/, are not checked; a link's target is checked as one). */
const REPO_PATH = /(?<![\w./-]|\]\()((?:lessons|src|test|docs|scripts|recordings|\.ci)\/[\w./-]*)/g;

/** Shell in a fenced block: a block marked sh/shell/bash/console, or a line typed at a `$ ` prompt. */
interface CodeLine extends Found {
  readonly shell: boolean;
}

/** Lines of fenced code blocks, and the prose around them, with their line numbers. */
function split(text: string): { code: CodeLine[]; prose: Found[] } {
  const code: CodeLine[] = [];
  const prose: Found[] = [];
  let fence: string | null = null; // the open block's info string, e.g. "sh"
  text.split("\n").forEach((line, i) => {
    const opened = /^\s*(?:```|~~~)\s*(\S*)/.exec(line);
    if (opened) {
      fence = fence === null ? opened[1]! : null;
      return;
    }
    if (fence === null) prose.push({ line: i + 1, text: line });
    else {code.push({
        line: i + 1,
        text: line,
        shell: /^(sh|shell|bash|console)$/.test(fence) || line.startsWith("$ "),
      });}
  });
  return { code, prose };
}

/** Words as the shell splits them (quotes kept together), up to a comment. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/'([^']*)'|"([^"]*)"|(#.*$)|(\S+)/g)) {
    if (m[3] !== undefined) break;
    out.push(m[1] ?? m[2] ?? m[4]!);
  }
  return out;
}

/**
 * The socket-lessons argv of a piece of shell, or null if it does not start
 * the app. `[options]`-style words are optional parts of a usage: left out.
 */
function argvOf(piece: string): string[] | null {
  const text = piece.trim().replace(/^\$ /, "").replace(/^(?:[A-Z_]+=\S+ )+/, "");
  const launcher = LAUNCHERS.map((l) => l.exec(text)).find((m) => m !== null);
  if (!launcher) return null;
  return words(text.slice(launcher[0].length)).filter((w) => !/^\[.*\]$/.test(w) && w !== "...");
}

function commandsIn(file: DocFile): Command[] {
  const { code, prose } = split(file.text);
  const found: Command[] = [];
  code.forEach((c, i) => {
    if (!c.shell) return; // a screen capture or program output, not something to type
    // A line of shell may chain commands: each piece is checked.
    for (const piece of c.text.replace(/\s#.*$/, "").split(/&&|\|\||;|\|(?!\|)|&(?!&)/)) {
      const argv = argvOf(piece);
      if (argv === null) continue;
      const next = code[i + 1];
      const shown = c.text.startsWith("$ ") && next?.line === c.line + 1
        ? /^socket-lessons: (.*)$/.exec(next.text)
        : null;
      found.push({ line: c.line, text: piece.trim(), argv, refusal: shown ? shown[1]! : null });
    }
  });
  // Inline code may wrap across lines of a paragraph: read the prose as one text.
  const joined = prose.map((p) => p.text).join("\n");
  for (const m of joined.matchAll(/`([^`]+)`/g)) {
    const argv = argvOf(m[1]!.replace(/\s+/g, " "));
    if (argv === null) continue;
    const line = prose[joined.slice(0, m.index).split("\n").length - 1]!.line;
    found.push({ line, text: m[1]!, argv, refusal: null });
  }
  return found;
}

/** Lesson ids a command names, where it names one (the shipped lessons, not an instructor's folder). */
function lessonIdOf(command: string, args: readonly string[], lessons: string | undefined): string | null {
  if (lessons !== undefined || !["", "run", "programs"].includes(command)) return null;
  const id = args[0];
  return id !== undefined && /^[a-z0-9-]+$/.test(id) ? id : null;
}

async function checkCommand(doc: string, c: Command, lessons: ReadonlyMap<string, Lesson>): Promise<string | null> {
  const where = `${doc}:${c.line}: \`${c.text}\``;
  try {
    const parsed = await parseOnly(c.argv);
    const id = lessonIdOf(parsed.command, parsed.args, parsed.values.lessons);
    if (id !== null && !lessons.has(id)) return `${where}: no lesson "${id}" in lessons/`;
    // --set is checked against the lesson's knobs once the lesson is known, as the app does.
    if (id !== null) lessonWithSettings(lessons.get(id)!, parsed.values.set);
    if (c.refusal !== null) return `${where}: shown as refused ("${c.refusal}"), but it parses`;
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    if (c.refusal === error.message) return null;
    return `${where}: ${error.message}`;
  }
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

/** The anchors of a Markdown text's headings (outside code blocks). */
function anchorsIn(text: string): Set<string> {
  return new Set(
    split(text).prose.map((p) => /^#{1,6} (.*)$/.exec(p.text)?.[1]).filter((h) => h !== undefined).map(
      (h) => anchorOf(h!),
    ),
  );
}

/** A link's problem, if it has one: its file missing, or its #anchor not a heading there. */
function linkProblem(file: DocFile, root: string, link: string): string | null {
  const [target, anchor] = link.split("#") as [string, string | undefined];
  if (/^[a-z]+:/.test(target)) return null;
  const path = target === "" ? join(root, file.name) : join(root, dirname(file.name), target);
  if (!existsSync(path)) return "no such file";
  if (anchor === undefined || !path.endsWith(".md")) return null;
  const text = target === "" ? file.text : readFileSync(path, "utf8");
  return anchorsIn(text).has(anchor) ? null : `no heading #${anchor} there`;
}

function pathsIn(file: DocFile, root: string): string[] {
  const problems: string[] = [];
  file.text.split("\n").forEach((text, i) => {
    const where = `${file.name}:${i + 1}`;
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const problem = linkProblem(file, root, m[1]!);
      if (problem !== null) problems.push(`${where}: link to ${m[1]}: ${problem}`);
    }
    for (const m of text.matchAll(REPO_PATH)) {
      const path = m[1]!.replace(/[.,:]+$/, "");
      const after = text[m.index! + m[0].length];
      // A pattern (lessons/<id>/, test/unit/*.test.ts), not a path.
      if (after === "<" || after === "*" || after === "{" || after === "$") continue;
      if (!existsSync(join(root, path))) problems.push(`${where}: ${path}: no such file or folder`);
    }
  });
  return problems;
}

/** Every problem found in `files`, one line each: `file:line: what`. None: []. */
export async function checkDocs(files: readonly DocFile[], root: string): Promise<string[]> {
  const shipped = loadLessons(join(root, "lessons")).lessons;
  const lessons = new Map(shipped.map((l) => [l.id, l]));
  const problems: string[] = [];
  for (const file of files) {
    for (const command of commandsIn(file)) {
      const problem = await checkCommand(file.name, command, lessons);
      if (problem !== null) problems.push(problem);
    }
    problems.push(...pathsIn(file, root));
  }
  return problems;
}

/** How many commands the check reads in a file (so a test can see it read some). */
export function commandCount(file: DocFile): number {
  return commandsIn(file).length;
}
