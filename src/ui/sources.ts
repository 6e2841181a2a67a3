// The lesson programs' source, read once when a lesson opens, highlighted
// for the code panes. The view never reads files itself.
import { readFileSync } from "node:fs";
import type { Lesson } from "../lessons/schema.ts";
import { highlightPython, type Token } from "./syntax.ts";

export type Sources = ReadonlyMap<string, readonly (readonly Token[])[]>;

export function loadSources(lesson: Lesson): Sources {
  const sources = new Map<string, Token[][]>();
  for (const program of lesson.programs) {
    try {
      sources.set(program.name, highlightPython(readFileSync(program.file, "utf8").replace(/\n$/, "")));
    } catch (error) {
      sources.set(program.name, [[{ kind: "comment", text: `# source not readable: ${(error as Error).message}` }]]);
    }
  }
  return sources;
}
