// Recordings of real runs (test/fixtures/recordings, src/recording): read one,
// replay it through the session as the runner fed it, stop at a fact.
import { readFileSync } from "node:fs";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import type { Lesson } from "../../src/lessons/schema.ts";
import type { Observation } from "../../src/observations.ts";
import { observationsOf, parseRecording, type Recording, type RecordingLine } from "../../src/recording/format.ts";
import { createSession, reduceSession, type SessionState } from "../../src/session/session.ts";

export function lessonById(id: string): Lesson {
  const lesson = loadLessons(defaultLessonsDir()).lessons.find((l) => l.id === id);
  if (!lesson) throw new Error(`no lesson ${id}`);
  return lesson;
}

export function readRecording(name: string): Recording {
  const url = new URL(`../fixtures/recordings/${name}.ndjson`, import.meta.url);
  return parseRecording(readFileSync(url, "utf8"), `${name}.ndjson`);
}

export function recordedObservations(name: string): Observation[] {
  return observationsOf(readRecording(name));
}

/**
 * The session after replaying the recording `name` of lesson `lessonId` up to
 * and including the first line for which `stop` is true (all of it without one).
 */
export function replay(
  name: string,
  lessonId: string,
  stop?: (line: RecordingLine, state: SessionState) => boolean,
): SessionState {
  let state = createSession(lessonById(lessonId));
  for (const line of readRecording(name).lines) {
    if (line.type === "problem") continue;
    state = reduceSession(
      state,
      line.type === "fact" ? { type: "fact", fact: line.fact } : { type: "observation", obs: line.obs },
    );
    if (stop?.(line, state)) return state;
  }
  return state;
}

/** Stops at the first fact of this name (and program). */
export function atFact(fact: string, program?: string) {
  return (line: RecordingLine) =>
    line.type === "fact" && line.fact.fact === fact && (program === undefined || line.fact.values.program === program);
}
