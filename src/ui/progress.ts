// The learner's progress: which lessons are done and which was opened last,
// the exercises passed and the hints revealed, the answers to the lessons'
// questions,
// kept in the platform's config dir (env-paths: ~/.config/socket-lessons on
// Linux, honouring XDG_CONFIG_HOME). Losing progress is a nuisance, never a
// crash: a corrupt file is renamed aside with a warning, and when nothing can
// be written the progress lives in memory for this session, with a warning.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import envPaths from "env-paths";

export const PROGRESS_FILE = "progress.json";

/** One exercise: when it was first passed (ISO time, or null) and how many hints were revealed. */
export interface ExerciseProgress {
  readonly passed: string | null;
  readonly hints: number;
}

/** A learner's answer to a beat's question, beside what the run measured. */
export interface Answer {
  /** The choice's number (1, 2...) or the number guessed. */
  readonly answer: number;
  /** Whether the choice was right (null for a number guessed: the measured one is shown beside it). */
  readonly right: boolean | null;
  readonly measured: string;
  readonly at: string;
}

interface ProgressData {
  readonly version: 1;
  readonly done: Readonly<Record<string, string>>; // lesson id -> ISO time it was finished
  readonly last: string | null; // the lesson opened last
  readonly exercises: Readonly<Record<string, ExerciseProgress>>; // exercise id -> its progress
  readonly answers: Readonly<Record<string, Readonly<Record<string, Answer>>>>; // lesson id -> beat number -> answer
}

const EMPTY: ProgressData = { version: 1, done: {}, last: null, exercises: {}, answers: {} };
const NO_EXERCISE: ExerciseProgress = { passed: null, hints: 0 };

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

  exercise(id: string): ExerciseProgress {
    return this.data.exercises[id] ?? NO_EXERCISE;
  }

  /** A pass is kept from the first time (later failures do not undo it). */
  markPassed(id: string, now: Date = new Date()): void {
    const before = this.exercise(id);
    if (before.passed !== null) return;
    this.setExercise(id, { ...before, passed: now.toISOString() });
  }

  /** One more hint revealed (up to `total`); returns how many are revealed now. */
  revealHint(id: string, total: number): number {
    const before = this.exercise(id);
    const hints = Math.min(total, before.hints + 1);
    if (hints !== before.hints) this.setExercise(id, { ...before, hints });
    return hints;
  }

  answer(lesson: string, beat: number): Answer | null {
    return this.data.answers[lesson]?.[String(beat)] ?? null;
  }

  setAnswer(lesson: string, beat: number, answer: Answer): void {
    const answers = { ...this.data.answers, [lesson]: { ...this.data.answers[lesson], [String(beat)]: answer } };
    this.data = { ...this.data, answers };
    this.save();
  }

  private setExercise(id: string, progress: ExerciseProgress): void {
    this.data = { ...this.data, exercises: { ...this.data.exercises, [id]: progress } };
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
      // The menu and a `check --watch` in another terminal may both be open:
      // what the other saved meanwhile is kept, not overwritten.
      this.data = merged(this.data, readProgressFile(this.file));
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

function readProgressFile(file: string): ProgressData | null {
  try {
    return parseProgress(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** Ours, with what only the file has added: lessons done, passes, hints (the most), answers (ours first). */
function merged(ours: ProgressData, theirs: ProgressData | null): ProgressData {
  if (theirs === null) return ours;
  const exercises: Record<string, ExerciseProgress> = { ...theirs.exercises };
  for (const [id, mine] of Object.entries(ours.exercises)) {
    const other = exercises[id] ?? NO_EXERCISE;
    exercises[id] = { passed: mine.passed ?? other.passed, hints: Math.max(mine.hints, other.hints) };
  }
  const answers: Record<string, Record<string, Answer>> = {};
  for (const lesson of new Set([...Object.keys(theirs.answers), ...Object.keys(ours.answers)])) {
    answers[lesson] = { ...theirs.answers[lesson], ...ours.answers[lesson] };
  }
  return { ...ours, done: { ...theirs.done, ...ours.done }, exercises, answers };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isExerciseProgress(v: unknown): v is ExerciseProgress {
  return isRecord(v) && (v.passed === null || typeof v.passed === "string") && typeof v.hints === "number";
}

function isAnswer(v: unknown): v is Answer {
  return isRecord(v) && typeof v.answer === "number" && (v.right === null || typeof v.right === "boolean") &&
    typeof v.measured === "string" && typeof v.at === "string";
}

function parseProgress(text: string): ProgressData | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null) return null;
  const { version, done, last, exercises = {}, answers = {} } = raw as Record<string, unknown>;
  if (version !== 1 || typeof done !== "object" || done === null || Array.isArray(done)) return null;
  if (!Object.values(done).every((v) => typeof v === "string")) return null;
  if (last !== null && last !== undefined && typeof last !== "string") return null;
  // Exercises and answers came later: a file without them is an older one, not a corrupt one.
  if (!isRecord(exercises) || !Object.values(exercises).every(isExerciseProgress)) return null;
  if (!isRecord(answers) || !Object.values(answers).every((a) => isRecord(a) && Object.values(a).every(isAnswer))) {
    return null;
  }
  return {
    version: 1,
    done: done as Record<string, string>,
    last: (last as string | null | undefined) ?? null,
    exercises: exercises as Record<string, ExerciseProgress>,
    answers: answers as Record<string, Record<string, Answer>>,
  };
}
