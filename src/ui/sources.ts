// The lesson programs' source, read once when a lesson opens, highlighted
// for the code panes. The view never reads files itself. The source is text
// from outside the app: read with a bound and sanitised here, where it
// enters the view.
import { MAX_SOURCE_BYTES, readBounded } from "../lessons/folders.ts";
import type { Lesson } from "../lessons/schema.ts";
import { safeText } from "../text/sanitize.ts";
import { highlightPython, type Token } from "./syntax.ts";

export type Sources = ReadonlyMap<string, readonly (readonly Token[])[]>;

export function loadSources(lesson: Lesson): Sources {
  const sources = new Map<string, Token[][]>();
  for (const program of lesson.programs) {
    const read = readBounded(program.file, MAX_SOURCE_BYTES, false);
    if ("problem" in read) {
      sources.set(program.name, [[{ kind: "comment", text: `# source not shown: the file ${read.problem}` }]]);
      continue;
    }
    sources.set(program.name, highlighted(read.text, read.truncated));
  }
  return sources;
}

/** A replay's sources: the programs as its recording holds them, never the files on this machine. */
export function recordedSources(lesson: Lesson, sourceOf: (file: string) => string): Sources {
  return new Map(lesson.programs.map((p) => [p.name, highlighted(sourceOf(p.file), false)]));
}

function highlighted(text: string, truncated: boolean): Token[][] {
  const lines = highlightPython(safeText(text).replace(/\n$/, ""));
  if (truncated) {
    lines.push([{
      kind: "comment",
      text: `# (the rest is not shown: only the first ${MAX_SOURCE_BYTES / 1024} KiB)`,
    }]);
  }
  return lines;
}
