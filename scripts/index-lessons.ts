// Build step: validates the shipped lessons and writes their index
// (dist/lessons.index.json; see src/lessons/shipped.ts). A shipped lesson
// with an error fails the build: it must never reach a learner.
import { writeFileSync } from "node:fs";
import { formatLessonError, loadLessons } from "../src/lessons/load.ts";
import { defaultLessonsDir } from "../src/lessons/folders.ts";
import { indexPath, makeIndex } from "../src/lessons/shipped.ts";

const dir = defaultLessonsDir();
const { lessons, errors } = loadLessons(dir);
if (errors.length > 0) {
  for (const error of errors) console.error(formatLessonError(error));
  process.exit(1);
}
writeFileSync(indexPath(dir), `${JSON.stringify(makeIndex(dir, lessons))}\n`);
