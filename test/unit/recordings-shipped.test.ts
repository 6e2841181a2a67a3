// The recordings shipped with the app (recordings/, made by
// scripts/record-lessons.ts on Linux): each lesson has one, of the lesson as
// it is now, and its replay tells what the live run that made it told: the
// same facts, beats, holds, numbers and end, line for line, compared with the
// --json that run printed (its witness), not with anything the replay wrote.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { test } from "node:test";
import { loadReplay, replayAsJson } from "../../src/commands/replay.ts";
import { defaultLessonsDir, loadLessons } from "../../src/lessons/load.ts";
import { shippedRecording, shippedRecordingsDir } from "../../src/recording/shipped.ts";

const lessons = loadLessons(defaultLessonsDir()).lessons;
const RERECORD = "re-record with: npm run record:lessons";

/**
 * A JSON line without what only a replay says (that it is one), nor what only
 * a live run offers at its end (the next step, from the lessons installed).
 */
function withoutReplayLabel(line: string): Record<string, unknown> {
  const { replay: _, next: _next, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return rest;
}

for (const lesson of lessons) {
  test(`${lesson.id}: the shipped recording is of the lesson as it is, and replays as its live run told it`, async () => {
    const file = shippedRecording(lesson.id);
    assert.ok(file, `no recording of ${lesson.id} in ${shippedRecordingsDir()}: ${RERECORD}`);
    const replay = loadReplay(file);
    const { header } = replay.recording;
    assert.equal(header.machine.platform, "linux");
    assert.equal(header.files!.lessonText, readFileSync(lesson.file, "utf8"), `the lesson file changed: ${RERECORD}`);
    for (const program of lesson.programs) {
      assert.equal(
        header.files!.programs[basename(program.file)],
        readFileSync(program.file, "utf8"),
        `${basename(program.file)} changed: ${RERECORD}`,
      );
    }

    const replayed: string[] = [];
    await replayAsJson(replay, (line) => replayed.push(line), "instant");
    const witness = readFileSync(file.replace(/\.ndjson\.gz$/, ".witness.ndjson"), "utf8").trim().split("\n");
    const lessonLine = JSON.parse(replayed[0]!);
    assert.equal(lessonLine.replay.recordedAt, header.recordedAt, "the replay says what it is, first");
    assert.equal(JSON.parse(witness[0]!).replay, null, "the witness is a live run's");
    assert.ok(witness.some((l) => l.includes('"type":"beat"')));
    assert.deepEqual(replayed.map(withoutReplayLabel), witness.map(withoutReplayLabel), RERECORD);
  });
}
