// socket-lessons list [--json]
import type { CliValues } from "../cli.ts";
import { lessonSet, warnBroken } from "./lessons.ts";

export async function listCommand(values: CliValues): Promise<number> {
  const set = await lessonSet(values.lessons);
  warnBroken(set);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(set.lessons.map((l) => ({ id: l.id, title: l.title })))}\n`);
    return 0;
  }
  const width = Math.max(...set.lessons.map((l) => l.id.length), 2);
  for (const l of set.lessons) process.stdout.write(`${l.id.padEnd(width)}  ${l.title}\n    ${l.summary}\n`);
  if (set.lessons.length === 0) process.stdout.write("No lessons found.\n");
  return 0;
}
