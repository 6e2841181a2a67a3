// Where a line of a shipped lesson program is now: tests that open a program
// find its line by its text, so a change above it (a knob's few lines) moves
// the number, never the test's meaning.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const LESSONS = fileURLToPath(new URL("../../lessons/", import.meta.url));

/** The 1-based line of lessons/<id>/<file> that contains `text` (the first). */
export function lessonLine(id: string, file: string, text: string): number {
  const lines = readFileSync(`${LESSONS}${id}/${file}`, "utf8").split("\n");
  const at = lines.findIndex((line) => line.includes(text));
  if (at < 0) throw new Error(`${id}/${file} has no line with ${JSON.stringify(text)}`);
  return at + 1;
}

/** blocking-send's one send(): where the client sleeps. */
export const BLOCKING_SEND_LINE = lessonLine("blocking-send", "block_client.py", "assert sock.send(data)");
