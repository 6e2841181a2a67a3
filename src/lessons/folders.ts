// Lesson folders on disk, without the YAML parser: the lesson file's names,
// where the shipped lessons are, and the two stat checks the loader and the
// shipped lessons' index both make.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const LESSON_FILE_NAMES = ["lesson.yaml", "lesson.yml"] as const;

/**
 * The `lessons/` folder shipped with the app. From src/lessons/ it is
 * ../../lessons, from the bundle dist/cli.js ../lessons. "Exists" alone would
 * be fooled: from src/lessons, ../lessons is src/lessons itself, and from an
 * installed dist/cli.js, ../../lessons is node_modules/lessons, another
 * package. So the folder must sit beside a package.json, as ours does.
 */
export function defaultLessonsDir(): string {
  const candidates = ["../../lessons", "../lessons"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  const found = candidates.find((dir) => isDirectory(dir) && existsSync(join(dir, "..", "package.json")));
  return found ?? candidates[0]!;
}

export function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
