// How a lesson file's error reads. Apart from schema.ts, which imports the
// YAML parser: commands that only report errors need not load it.
import type { LessonError } from "./schema.ts";

/** `lessons/x/lesson.yaml:12: beats[3].on: unknown fact "client.sleep" (known: ...)` */
export function formatLessonError(e: LessonError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}` : e.file;
  return e.field ? `${where}: ${e.field}: ${e.message}` : `${where}: ${e.message}`;
}
