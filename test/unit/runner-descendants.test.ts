// The descendant records against a /proc written by the test: the tree
// walk through every thread's children, and the rule that a recorded pid is
// signalled only while its start time is the one recorded (the kernel may
// have given the pid to an unrelated process since). The process signalled
// is a real `sleep` this test starts; its /proc entry here is the test's.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Descendants, descendantsOf, processesMarked, PROGRAM_MARKER } from "../../src/runner/descendants.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** A /proc/PID with a stat (start time `start`), threads with children, and an environment. */
function fakeProcess(root: string, pid: number, start: number, threads: Record<number, number[]> = {}, env = "") {
  mkdirSync(join(root, String(pid), "task"), { recursive: true });
  const fields = ["S", "1", String(pid), String(pid), "0", "-1", ...Array(15).fill("0")];
  fields[19] = String(start); // field 22 of the line, the 20th after "(comm)"
  writeFileSync(join(root, String(pid), "stat"), `${pid} (python3) ${fields.join(" ")}\n`);
  writeFileSync(join(root, String(pid), "environ"), env);
  for (const [tid, kids] of Object.entries(threads)) {
    mkdirSync(join(root, String(pid), "task", tid), { recursive: true });
    writeFileSync(join(root, String(pid), "task", tid, "children"), kids.map((k) => `${k} `).join(""));
  }
}

test("the tree below a program: children of every thread, and theirs, each with its start time", () => {
  const root = tempDir("socket-lessons-proc-");
  fakeProcess(root, 100, 5000, { 100: [101], 102: [103] }); // a thread (102) started 103
  fakeProcess(root, 101, 5001, { 101: [104] });
  fakeProcess(root, 103, 5002);
  fakeProcess(root, 104, 5003);
  const found = descendantsOf(100, root).sort((a, b) => a.pid - b.pid);
  assert.deepEqual(found, [
    { pid: 101, start: 5001 },
    { pid: 103, start: 5002 },
    { pid: 104, start: 5003 },
  ]);
  assert.deepEqual(descendantsOf(999, root), [], "a program already gone has none");
});

test("the environment marker finds a process that left the tree, whether its entry is first or later", () => {
  const root = tempDir("socket-lessons-proc-");
  fakeProcess(root, 200, 7000, {}, `HOME=/x\0${PROGRAM_MARKER}=abc\0`);
  fakeProcess(root, 201, 7001, {}, `${PROGRAM_MARKER}=abc\0PATH=/bin\0`);
  fakeProcess(root, 202, 7002, {}, `${PROGRAM_MARKER}=abcd\0`); // another program's token, not a prefix match
  fakeProcess(root, 203, 7003, {}, `X=${PROGRAM_MARKER}=abc\0`); // inside another variable's value
  assert.deepEqual(processesMarked("abc", root).map((p) => p.pid).sort(), [200, 201]);
});

test("a recorded process is killed only while its start time is the recorded one", async () => {
  const sleeper = spawn("sleep", ["30"], { stdio: "ignore" });
  const gone = new Promise<string | null>((resolve) => sleeper.on("exit", (_code, signal) => resolve(signal)));
  try {
    const root = tempDir("socket-lessons-proc-");
    fakeProcess(root, 1, 10, { 1: [sleeper.pid!] });
    fakeProcess(root, sleeper.pid!, 4242);
    const records = new Descendants("token", root);
    records.record(1);
    // The pid now belongs to a process that started later: not ours, left alone.
    fakeProcess(root, sleeper.pid!, 9999);
    assert.equal(records.killAll(), 0);
    assert.equal(sleeper.exitCode, null);
    assert.equal(sleeper.signalCode, null);

    const again = new Descendants("token", root);
    fakeProcess(root, sleeper.pid!, 4242);
    again.record(1);
    assert.equal(again.killAll(), 1);
    assert.equal(await gone, "SIGKILL");
  } finally {
    sleeper.kill("SIGKILL");
  }
});
