// The learner's own program, named on the command line (`check <id> FILE`).
//
// A lesson's programs must be regular files inside their lesson folder
// (src/lessons/folders.ts): a lessons folder may be anyone's, and a link in
// it to /etc/passwd is not a lesson program. The learner's file is another
// matter: they named it themselves, it is theirs, and it is meant to live
// outside the lesson (./socket-lessons-work/<id>/ by default). So it may be
// anywhere, through links too, but it must be a regular file: Python would
// block for ever on a FIFO, and a folder is a slip. Only a value of this type
// can take a lesson program's place in a run; it is made only here.
import { statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { UserError } from "../runner/errors.ts";

export interface LearnerFile {
  readonly kind: "learner-file";
  /** Absolute path (links not resolved: Python reports the path as the learner wrote it). */
  readonly path: string;
  /** The program runs here, as it would by hand: `python3 FILE` from its folder. */
  readonly dir: string;
  readonly name: string;
}

/** The file, checked; a missing or odd one is the user's to fix: one sentence, exit 2. */
export function learnerFile(path: string, startHint: string): LearnerFile {
  const absolute = resolve(path);
  const stat = statSync(absolute, { throwIfNoEntry: false });
  if (stat === undefined) throw new UserError(`${path} does not exist.`, startHint);
  if (!stat.isFile()) {
    const what = stat.isDirectory() ? "a folder" : stat.isFIFO() ? "a FIFO" : "not a regular file";
    throw new UserError(`${path} is ${what}: check runs a Python program file.`, startHint);
  }
  return { kind: "learner-file", path: absolute, dir: dirname(absolute), name: basename(absolute) };
}
