// socket-lessons list [--json]
import type { CliValues } from "../cli.ts";
import { safeJson, safeLine } from "../text/sanitize.ts";
import { lessonSet, warnBroken } from "./lessons.ts";

export async function listCommand(values: CliValues): Promise<number> {
  const set = await lessonSet(values.lessons);
  warnBroken(set);
  if (values.json) {
    process.stdout.write(`${safeJson(JSON.stringify(set.lessons.map((l) => ({ id: l.id, title: l.title }))))}\n`);
    return 0;
  }
  // Ids, titles and summaries come from lesson folders: shown, never run, as text.
  const shown = set.lessons.map((l) => ({
    id: safeLine(l.id),
    title: safeLine(l.title),
    summary: safeLine(l.summary),
  }));
  const width = Math.max(...shown.map((l) => l.id.length), 2);
  for (const l of shown) process.stdout.write(`${l.id.padEnd(width)}  ${l.title}\n    ${l.summary}\n`);
  if (set.lessons.length === 0) process.stdout.write("No lessons found.\n");
  return 0;
}
