// The recording format, its checks, the replay label and the replay's pace.
// Pure parts, and the replay engine on a real recording (the pure core's
// fixtures, format 1) with its facts found again from the observations.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startReplay } from "../../src/engine/replay.ts";
import { FactDetector } from "../../src/facts/detect.ts";
import type { Fact } from "../../src/facts/types.ts";
import { observationProblem } from "../../src/recording/check.ts";
import { formatRecording, parseRecording, RecordingError } from "../../src/recording/format.ts";
import { recordedDate, replayLabel } from "../../src/recording/label.ts";
import { Recorder } from "../../src/recording/recorder.ts";
import type { SessionState } from "../../src/session/session.ts";
import { lessonById, readRecording } from "../helpers/recordings.ts";

const FILES = { lessonFile: "lesson.yaml", lessonText: "title: x\n", programs: { "a.py": "print(1)\n" } };

test("a recorder's recording reads back as it was written (format 2: the lesson's files, problems, notes)", () => {
  const recorder = new Recorder(
    "x",
    { platform: "linux", kernel: "6.1.0", runtime: "node v20" },
    "2026-01-02T03:04:05Z",
    FILES,
  );
  recorder.observation({ kind: "spawned", t: 1, program: "a", pid: 7 });
  recorder.observation({
    kind: "trace",
    t: 2,
    program: "a",
    event: { ev: "hello", pid: 7, python: "3.12.1", t: 2 },
  });
  recorder.problem("a ignored SIGTERM");
  recorder.note("held");
  const recording = recorder.finish("every program exited");
  const read = parseRecording(formatRecording(recording), "r.ndjson");
  assert.deepEqual(read, recording);
  assert.equal(read.header.version, 2);
  assert.equal(read.header.machine.python, "3.12.1");
  assert.deepEqual(read.header.notes, ["held"]);
});

test("what is not a recording, or not one this version reads, says so with the file and line", () => {
  const header = {
    type: "recording",
    version: 2,
    lesson: "x",
    recordedAt: "2026-01-02T03:04:05Z",
    machine: { platform: "linux", kernel: "6", python: null, runtime: "node" },
    endReason: null,
    notes: [],
    files: FILES,
  };
  const bad = (text: string) => {
    try {
      parseRecording(text, "r");
    } catch (error) {
      assert.ok(error instanceof RecordingError);
      return error.message;
    }
    assert.fail("read");
  };
  const line = (o: unknown) => JSON.stringify(o);
  assert.equal(bad("hello"), "r is not a socket-lessons recording (not JSON lines)");
  assert.equal(
    bad(line({ type: "fact" })),
    "r is not a socket-lessons recording (its first line is not a recording header)",
  );
  assert.equal(
    bad(line({ ...header, version: 3 })),
    "r was made by a newer socket-lessons (recording format 3; this one reads up to 2)",
  );
  assert.equal(bad(line({ ...header, version: 0 })), "r:1: recording format 0 is not one socket-lessons wrote");
  assert.equal(
    bad(line({ ...header, files: undefined })),
    "r:1: the header's files (the lesson as it ran) are missing",
  );
  assert.equal(bad(line({ ...header, recordedAt: "soon" })), "r:1: the header's recordedAt is not a date");
  assert.equal(bad(`${line(header)}\n\n${line({ type: "video" })}`), 'r:3: unknown line type "video"');
  assert.equal(bad(`${line(header)}\n{`), "r:2: not JSON");
  assert.match(
    bad(
      `${line(header)}\n${
        line({ type: "observation", obs: { kind: "trace", t: 1, program: "a", event: { ev: "call" } } })
      }`,
    ),
    /^r:2: trace channel: field "id" is not a number/,
  );
});

test("observations are checked as the runner makes them", () => {
  assert.equal(observationProblem({ kind: "spawned", t: 1, program: "a", pid: 2 }), null);
  assert.equal(
    observationProblem({ kind: "spawned", t: "1", program: "a", pid: 2 }),
    "an observation without its time",
  );
  assert.equal(
    observationProblem({ kind: "exited", t: 1, program: "a", pid: 2, code: null, signal: 9, stoppedBy: null }),
    "a exited observation with a bad signal",
  );
  assert.equal(observationProblem({ kind: "teleported", t: 1 }), 'unknown observation kind "teleported"');
  assert.equal(
    observationProblem({
      kind: "proc",
      t: 1,
      program: "a",
      sample: { pid: 1, state: "S", wchan: null, syscall: { kind: "in-syscall", nr: "x" } },
    }),
    "a proc observation with a bad syscall",
  );
  assert.equal(
    observationProblem({ kind: "output", t: 1, program: "a", stream: "stdout", bytes: 3, tail: [1] }),
    "a output observation with a bad tail",
  );
  // Every observation of a real run passes.
  for (const name of ["blocking-send", "cancel-connect"]) {
    const problems = readRecording(name).lines.flatMap((l) =>
      l.type === "observation" && !(l.obs.kind === "trace" && l.obs.event.ev === "exit")
        ? [observationProblem(l.obs)]
        : []
    );
    assert.deepEqual(problems.filter((p) => p !== null), [], name);
  }
});

test("the replay label: the machine, the date in UTC, and that nothing runs now", () => {
  const header = parseRecording(
    formatRecording(
      new Recorder("x", { platform: "darwin", kernel: "23.4.0", runtime: "node" }, "2026-12-01T14:58:51.951Z", FILES)
        .finish(null),
    ),
    "r",
  ).header;
  const label = replayLabel(header);
  assert.equal(label.machine, "macOS 23.4.0");
  assert.equal(label.date, "2026-12-01 14:58 UTC");
  assert.equal(label.short, "replay · recorded 2026-12-01 14:58 UTC on macOS 23.4.0");
  assert.match(label.long, /^Replay of a run recorded on macOS 23\.4\.0 at 2026-12-01 14:58 UTC\. Nothing runs now/);
  assert.equal(recordedDate("2026-06-30T23:59:59+02:00"), "2026-06-30 21:59 UTC");
});

// That a replay tells what its live run told is tested on fresh runs (test/integration/recordings.test.ts:
// a run recorded now and its replay's --json, line for line); this fixture was recorded by an older
// detector, so here the replay is held to the detector fed the same observations directly.
test("replay --instant: every observation reaches the detector, in order: the facts it finds, none lost", async () => {
  const recording = readRecording("blocking-send");
  const facts: Fact[] = [];
  const seen: SessionState[] = [];
  const { session, complete } = await startReplay(recording, lessonById("blocking-send"), {
    update: (s) => seen.push(s),
    fact: (f) => facts.push(f),
  }, "instant").done;
  assert.equal(complete, true);
  assert.ok(session === seen.at(-1), "the session the viewer saw last");
  const detector = new FactDetector();
  const direct = recording.lines.flatMap((l) => (l.type === "observation" ? detector.push(l.obs) : []));
  assert.ok(direct.length > 50, `${direct.length} facts`);
  assert.deepEqual(facts.map((f) => `${f.fact}@${f.t}`), direct.map((f) => `${f.fact}@${f.t}`));
  assert.equal(session.ended?.reason, recording.header.endReason);
  assert.equal(session.beats.length, session.lesson.beats.length);
});

test("replay in real time: nothing is shown before its recorded time; stop ends it where it is", async () => {
  const recording = readRecording("non-blocking-send");
  const started = performance.now();
  let ahead = 0;
  const run = startReplay(recording, lessonById("non-blocking-send"), {
    update: (s) => {
      if (s.now > performance.now() - started + 1) ahead++;
    },
  }, "real-time");
  await new Promise((resolve) => setTimeout(resolve, 300));
  run.stop();
  const { session, complete } = await run.done;
  assert.equal(ahead, 0, "an observation shown before its time");
  assert.equal(complete, false);
  assert.equal(session.ended, null);
  assert.ok(session.now > 0 && session.now <= performance.now() - started, `at ${session.now} ms`);
});
