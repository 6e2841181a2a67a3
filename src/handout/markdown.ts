// A lesson's handout, as Markdown: the beats with the numbers this run
// measured, what it measured (the recap), the run over time (the SVG beside
// it, and the same timeline as text), and the programs' source with the
// lines the beats cite marked. It opens on GitHub and in any CommonMark
// viewer: no HTML, relative links only. Lesson and program text is text
// from outside the app: in prose every character that Markdown could read
// as markup (links, images, HTML, emphasis, autolinks, math) is escaped, and
// in code blocks the fence is longer than any run of backticks inside.
// Pure: what the run showed in, Markdown out.
import type { NarrationEntry } from "../session/narration.ts";
import { formatMs } from "../report/format.ts";
import { safeText } from "../text/sanitize.ts";
import type { Lesson } from "../lessons/schema.ts";

export interface HandoutProgram {
  readonly name: string;
  /** The program's file name, as in the lesson folder. */
  readonly file: string;
  readonly role: string | null;
  readonly source: string;
}

export interface HandoutInput {
  readonly lesson: Lesson;
  /** The narration as every view tells it once the run is over (session/narration.ts). */
  readonly entries: readonly NarrationEntry[];
  readonly recap: readonly string[];
  readonly programs: readonly HandoutProgram[];
  /** The timeline picture's file name, beside the handout. */
  readonly svgFile: string;
  readonly timelineText: readonly string[];
  /** Which run: "on Linux 6.1 (Python 3.11.7) at 2026-12-01 14:58 UTC". */
  readonly run: {
    readonly machine: string;
    readonly date: string;
    readonly endedAfterMs: number;
    readonly endReason: string;
    /** Set when the handout was written from a recording (a replay): its file. */
    readonly recording: string | null;
    /** What the run was made with (holds, the probe off...), each a sentence. */
    readonly notes: readonly string[];
  };
}

// What CommonMark or GitHub would read as markup in a line of prose: emphasis, code, strikethrough, math,
// HTML and autolinks in angle brackets, entities, links and images ([ and ] suffice: "(" and "!" mean
// something only next to them), headings. A backslash makes each a literal character. Checked against
// cmark-gfm (GitHub's renderer) with its autolink, strikethrough, table and tagfilter extensions.
const ALWAYS = /[\\`*_~$<>&[\]#]/g;
// Block markup counts only at the start of a line: lists, quotes, setext underlines, tables' pipes.
const LINE_START = /^([ \t]*)([-+=|>]|\d+[.)])/gm;
/** U+2060 WORD JOINER: invisible, but an address split by it is no longer an e-mail autolink. */
const WORD_JOINER = "\u2060";

/** Text as Markdown prose: shown exactly as written, never as markup or a link. */
export function markdownText(text: string): string {
  return safeText(text)
    .replace(ALWAYS, (ch) => `\\${ch}`)
    // GitHub links bare URLs and www. addresses; an escaped ":" or "." breaks the pattern. E-mail
    // addresses are linked after escapes are undone, so only a character between breaks those.
    .replace(/:(?=\/\/)/g, "\\:")
    .replace(/\b(www)\./gi, "$1\\.")
    .replace(/@/g, `@${WORD_JOINER}`)
    .replace(
      LINE_START,
      (_, space: string, mark: string) => `${space}${mark.replace(/[-+=|>.)]$/, (ch) => `\\${ch}`)}`,
    );
}

/** A lesson's text (a beat, a summary) as paragraphs: its line breaks are the YAML's wrapping. */
function paragraphs(text: string): string {
  return text.trim().split(/\n\s*\n/).map((p) => markdownText(p.split("\n").map((l) => l.trim()).join(" "))).join(
    "\n\n",
  );
}

/** A fenced code block whose fence no line inside can close. */
export function codeBlock(lines: readonly string[], info = "text"): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...lines, fence].join("\n");
}

/** A file name as a relative link destination: percent-encoded, so no character in it is markup. */
function linkTo(file: string): string {
  return encodeURIComponent(file).replace(/[()*!']/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

const CITED = "▶";

/** Each program line a beat cites, with the beats that cite it. */
function citedLines(entries: readonly NarrationEntry[], program: string): Map<number, number[]> {
  const cited = new Map<number, number[]>();
  for (const entry of entries) {
    if (entry.kind !== "beat" || entry.beat.program !== program || entry.beat.line === null) continue;
    cited.set(entry.beat.line, [...(cited.get(entry.beat.line) ?? []), entry.beat.index + 1]);
  }
  return cited;
}

function programSection(program: HandoutProgram, entries: readonly NarrationEntry[]): string[] {
  const cited = citedLines(entries, program.name);
  const lines = safeText(program.source).replace(/\n$/, "").split("\n");
  const width = String(lines.length).length;
  const numbered = lines.map((line, i) => {
    const mark = cited.has(i + 1) ? CITED : " ";
    return `${mark} ${String(i + 1).padStart(width)}  ${line}`.trimEnd();
  });
  const which = [...cited.entries()].sort(([a], [b]) => a - b).map(([line, beats]) =>
    `line ${line} (beat${beats.length > 1 ? "s" : ""} ${beats.join(", ")})`
  );
  return [
    `### ${markdownText(program.name)}: ${markdownText(program.file)}`,
    "",
    ...(program.role ? [`${markdownText(program.role)}.`, ""] : []),
    ...(which.length > 0 ? [`${CITED} marks the lines the beats cite: ${which.join(", ")}.`, ""] : []),
    codeBlock(numbered, "python"),
    "",
  ];
}

function beatSection(entry: NarrationEntry, total: number): string[] {
  if (entry.kind === "unobserved") {
    const b = entry.beat;
    return [
      `### ${b.index + 1}. ${markdownText(b.title ?? b.on)}`,
      "",
      `_Not observed in this run: ${markdownText(b.why)}._`,
      "",
    ];
  }
  const b = entry.beat;
  const when = `at ${formatMs(b.t)}${entry.late ? ", told after the run" : ""}`;
  const note = b.unobservable && b.fact !== null
    ? [`_What the kernel did here could not be seen (${markdownText(b.unobservable)}); from the trace:_`, ""]
    : [];
  return [
    `### ${b.index + 1}. ${markdownText(b.title ?? b.fact ?? "")}`,
    "",
    `_Beat ${b.index + 1} of ${total}, ${markdownText(when)}._`,
    "",
    ...note,
    paragraphs(b.text),
    "",
  ];
}

export function handoutMarkdown(input: HandoutInput): string {
  const { lesson, run } = input;
  const total = lesson.beats.length;
  const where = `on ${markdownText(run.machine)} at ${markdownText(run.date)}`;
  const which = run.recording === null
    ? `A run of this lesson ${where}. Every number below was measured in that run, by its programs' trace and ` +
      `the kernel.`
    : `Written from a recording (${markdownText(run.recording)}) of a run of this lesson ${where}, replayed ` +
      `through socket-lessons' fact engine: nothing ran when it was written. Every number below was measured in ` +
      `the recorded run.`;
  const out = [
    `# ${markdownText(lesson.title)}`,
    "",
    `> ${which}`,
    ...run.notes.map((n) => `>\n> ${markdownText(`Made with: ${n}.`)}`),
    "",
    paragraphs(lesson.summary),
    "",
    ...(lesson.portNote ? [paragraphs(lesson.portNote), ""] : []),
    "## Beat by beat",
    "",
    ...input.entries.flatMap((entry) => beatSection(entry, total)),
    `The run ended ${markdownText(`after ${formatMs(run.endedAfterMs)}: ${run.endReason}`)}.`,
    "",
  ];
  if (input.recap.length > 0) {
    out.push("## What this run measured", "", ...input.recap.map((line) => `- ${markdownText(line)}`), "");
  }
  out.push(
    "## The run over time",
    "",
    `![The run over time: each program's state, the socket queues against their buffers, where each beat came](${
      linkTo(input.svgFile)
    })`,
    "",
    "The same, as text:",
    "",
    codeBlock(input.timelineText),
    "",
    "## The programs",
    "",
    ...input.programs.flatMap((p) => programSection(p, input.entries)),
  );
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
