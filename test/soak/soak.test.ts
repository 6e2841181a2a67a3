// The soak: each lesson run N times in a row in one runner process
// (SOAK_RUNS, default 50; `npm test` runs a short one, `npm run soak` the
// full one). Every run must give the same facts, and the runner must not
// grow: open files, lesson processes and heap after a full GC are compared
// between the first run and the last.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Fact } from "../../src/facts/types.ts";
import { defaultLessonsDir, loadLesson } from "../../src/lessons/load.ts";
import { createProbe } from "../../src/probe/index.ts";
import { findFreePort } from "../../src/runner/ports.ts";
import { tracerFiles } from "../../src/runner/program.ts";
import { findPython } from "../../src/runner/python.ts";
import { LessonRun } from "../../src/runner/run-lesson.ts";

const RUNS = Number(process.env.SOAK_RUNS ?? 50);
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const python = findPython().command;

/**
 * Which kinds of facts each program had: what must repeat exactly. Values
 * (pids, ms) differ, and so may the order of facts from different sources (the
 * 50 Hz probe vs the tracer's samples) and how many a hot loop gives (one per
 * run of calls, however the runs fall); the lesson order is tested elsewhere.
 * A `.waiting` fact says a call was still going 200 ms after it began, a
 * matter of time: accept() waiting for a client that a loaded machine starts
 * late gives one, a quick start none. So are a queue seen empty again
 * (.drained) and the receive window reopening (window.opened) at the end of
 * a transfer: the last few KiB go, and the socket closes, within one 20 ms
 * sample or not. These are left out of the comparison.
 */
function shape(facts: readonly Fact[]): string {
  const byProgram = new Map<string, Set<string>>();
  for (const f of facts) {
    if (f.fact.endsWith(".waiting") || f.fact.endsWith(".drained") || f.fact === "window.opened") continue;
    const key = String(f.values.program ?? "-");
    byProgram.set(key, (byProgram.get(key) ?? new Set()).add(f.fact));
  }
  return [...byProgram].sort().map(([p, names]) => `${p}: ${[...names].sort().join(" ")}`).join("\n");
}

/** Processes running the tracer, anywhere on the machine: lesson programs. */
function lessonPrograms(): number {
  let n = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(tracerFiles().script)) n++;
    } catch {
      // gone
    }
  }
  return n;
}

interface Footprint {
  fds: number;
  programs: number;
  heapMb: number;
}

function footprint(): Footprint {
  gc();
  return {
    fds: readdirSync("/proc/self/fd").length,
    programs: lessonPrograms(),
    heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
}

for (const id of ["blocking-send", "non-blocking-send", "cancel-connect"]) {
  test(`${id}: ${RUNS} runs in a row give the same facts; the runner does not grow`, async () => {
    const loaded = loadLesson(defaultLessonsDir(), id);
    assert.ok("lesson" in loaded);
    let first: string | null = null;
    let after1: Footprint | null = null;
    for (let run = 1; run <= RUNS; run++) {
      const result = await new LessonRun(loaded.lesson, {
        python,
        tracer: tracerFiles(),
        port: await findFreePort(),
        probe: createProbe("auto"),
      }).run();
      const got = shape(result.facts);
      first ??= got;
      assert.equal(got, first, `run ${run} differs from run 1`);
      if (run === 1) after1 = footprint();
    }
    const afterN = footprint();
    console.log(
      `${id}: ${RUNS} runs; after run 1 ${JSON.stringify(after1)}, after run ${RUNS} ${JSON.stringify(afterN)}`,
    );
    assert.equal(afterN.programs, 0, "no lesson program left");
    assert.ok(afterN.fds <= after1!.fds, `open files grew from ${after1!.fds} to ${afterN.fds}`);
    assert.ok(
      afterN.heapMb - after1!.heapMb < 5,
      `heap grew from ${after1!.heapMb.toFixed(1)} to ${afterN.heapMb.toFixed(1)} MB`,
    );
  });
}
