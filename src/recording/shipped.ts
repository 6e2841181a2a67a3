// The recordings shipped with the app (recordings/<id>.ndjson.gz beside
// lessons/, made on Linux by scripts/record-lessons.ts): where the kernel
// cannot be observed (macOS, Windows, no /proc, the probe off), the menu
// offers each lesson's as "watch a recorded Linux run".
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defaultLessonsDir } from "../lessons/folders.ts";

/** The folder beside the shipped lessons (both sit beside the package's package.json). */
export function shippedRecordingsDir(): string {
  return join(defaultLessonsDir(), "..", "recordings");
}

export function shippedRecordingPath(id: string, dir = shippedRecordingsDir()): string {
  return join(dir, `${id}.ndjson.gz`);
}

/** The shipped recording of lesson `id`, if there is one. */
export function shippedRecording(id: string, dir = shippedRecordingsDir()): string | null {
  const path = shippedRecordingPath(id, dir);
  return existsSync(path) ? path : null;
}
