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
    const lines = highlightPython(safeText(read.text).replace(/\n$/, ""));
    if (read.truncated) {
      lines.push([{
        kind: "comment",
        text: `# (the rest is not shown: only the first ${MAX_SOURCE_BYTES / 1024} KiB)`,
      }]);
    }
    sources.set(program.name, lines);
  }
  return sources;
}
