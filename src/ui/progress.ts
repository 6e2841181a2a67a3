// The learner's progress: which lessons are done and which was opened last,
// kept in the platform's config dir (env-paths: ~/.config/socket-lessons on
// Linux, honouring XDG_CONFIG_HOME). Losing progress is a nuisance, never a
// crash: a corrupt file is renamed aside with a warning, and when nothing can
// be written the progress lives in memory for this session, with a warning.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import envPaths from "env-paths";

export const PROGRESS_FILE = "progress.json";

interface ProgressData {
  readonly version: 1;
  readonly done: Readonly<Record<string, string>>; // lesson id -> ISO time it was finished
  readonly last: string | null; // the lesson opened last
}

const EMPTY: ProgressData = { version: 1, done: {}, last: null };

export function defaultProgressDir(): string {
  return envPaths("socket-lessons", { suffix: "" }).config;
}

export class Progress {
  /** Problems with the file, for the menu to show. */
  readonly warnings: string[] = [];
  private data: ProgressData;
  private writable = true;

  private constructor(private readonly file: string | null, data: ProgressData) {
    this.data = data;
  }

  /** Progress kept in memory only (tests; or no config dir at all). */
  static inMemory(): Progress {
    return new Progress(null, EMPTY);
  }

  static load(dir: string = defaultProgressDir(), now: () => Date = () => new Date()): Progress {
    const file = join(dir, PROGRESS_FILE);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const progress = new Progress(file, EMPTY);
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") {
        progress.warnings.push(`Could not read your progress (${file}: ${code}); starting afresh.`);
      }
      return progress;
    }
    const data = parseProgress(text);
    if (data) return new Progress(file, data);
    const progress = new Progress(file, EMPTY);
    const aside = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, "-")}`;
    try {
      renameSync(file, aside);
      progress.warnings.push(`Your progress file was not valid JSON progress; it was moved to ${aside}.`);
    } catch (error) {
      progress.writable = false;
      progress.warnings.push(
        `Your progress file ${file} is not valid and could not be moved aside ` +
          `(${(error as NodeJS.ErrnoException).code}); progress is kept in memory this time.`,
      );
    }
    return progress;
  }

  isDone(id: string): boolean {
    return Object.hasOwn(this.data.done, id);
  }

  last(): string | null {
    return this.data.last;
  }

  markDone(id: string, now: Date = new Date()): void {
    if (this.isDone(id)) return;
    this.data = { ...this.data, done: { ...this.data.done, [id]: now.toISOString() } };
    this.save();
  }

  setLast(id: string): void {
    if (this.data.last === id) return;
    this.data = { ...this.data, last: id };
    this.save();
  }

  private save(): void {
    if (this.file === null || !this.writable) return;
    try {
      mkdirSync(join(this.file, ".."), { recursive: true });
      // Write then rename: a crash mid-write leaves the old file, not half a new one.
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`);
      renameSync(temp, this.file);
    } catch (error) {
      this.writable = false;
      this.warnings.push(
        `Progress cannot be saved (${(error as NodeJS.ErrnoException).code ?? String(error)} at ${this.file}); ` +
          "it is kept in memory for this session.",
      );
    }
  }
}

function parseProgress(text: string): ProgressData | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const { version, done, last } = raw as Record<string, unknown>;
  if (version !== 1 || typeof done !== "object" || done === null || Array.isArray(done)) return null;
  if (!Object.values(done).every((v) => typeof v === "string")) return null;
  if (last !== null && last !== undefined && typeof last !== "string") return null;
  return { version: 1, done: done as Record<string, string>, last: (last as string | null | undefined) ?? null };
}
