// Files a command writes at the end of a run (--record, --markdown): checked
// before anything starts, so a run never ends in a file that cannot be
// written, and written whole (a temporary file renamed over the target), so
// a reader never finds half of one.
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UserError } from "../runner/errors.ts";

/** Why `path` cannot be written, as the end of a sentence; null when it can. */
function unwritable(path: string): string | null {
  const full = resolve(path);
  const stat = statSync(full, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return "is a folder: give it a file name";
  if (stat !== undefined && !stat.isFile()) return "is not a regular file";
  const dir = dirname(full);
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (dirStat === undefined) return `cannot be written: the folder ${dir} does not exist`;
  if (!dirStat.isDirectory()) return `cannot be written: ${dir} is not a folder`;
  try {
    accessSync(stat === undefined ? dir : full, constants.W_OK);
  } catch (e) {
    return `cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  return null;
}

/** Throws the user's mistake (exit 2) when `option`'s file cannot be written. */
export function checkWritable(option: string, path: string): void {
  const why = unwritable(path);
  if (why !== null) {
    throw new UserError(`${option} ${path} ${why}.`, `Give ${option} a file in a folder you can write.`);
  }
}

export function writeOutputFile(option: string, path: string, data: string | Uint8Array): void {
  const full = resolve(path);
  const temporary = `${full}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, full);
  } catch (e) {
    rmSync(temporary, { force: true });
    const why = unwritable(path) ?? `cannot be written (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    throw new UserError(`${option} ${path} ${why}.`, `Give ${option} a file in a folder you can write.`);
  }
}
