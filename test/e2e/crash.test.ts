// An uncaught error inside the TUI (injected: test/e2e/fault-in-output.ts):
// the terminal is restored, the error is printed with a hint, the programs
// are gone, exit code 1.
import assert from "node:assert/strict";
import { test } from "node:test";
import { groupMembers, processGone } from "../helpers/cli.ts";
import { ROOT, screensForTests, shownPids } from "./pty.ts";

const open = screensForTests("socket-lessons-crash-");

test("a bug thrown mid-lesson: terminal restored, the error and a hint printed, programs gone, exit 1", async () => {
  const app =
    `'${process.execPath}' --import tsx --import ./test/e2e/fault-in-output.ts src/cli.ts blocking-send --auto`; // no holds: the output flows
  const screen = open({ shell: `cd '${ROOT}' && ${app}; echo "EXIT:$?"; stty -a` });
  await screen.waitForText("· pid", 30_000);
  const pids = shownPids(screen.text());
  const text = await screen.waitFor(
    (t) => /EXIT:\d+/.test(t) && /\bicanon\b/.test(t),
    "the shell after the app",
    30_000,
  );
  assert.match(text, /EXIT:1\b/);
  assert.match(text, /unexpected error \(a bug; please report it with this text\)/);
  assert.match(text, /injected fault: a bug while reading a program's output/);
  const stty = text.slice(text.indexOf("EXIT:"));
  assert.match(stty, /(^|\s)echo(\s|$)/m);
  assert.match(stty, /(^|\s)icanon(\s|$)/m);
  assert.equal(screen.term.buffer.active.type, "normal", "back on the main screen");
  assert.ok(pids.length >= 1);
  for (const pid of pids) {
    assert.ok(processGone(pid), `pid ${pid} still runs`);
    assert.deepEqual(groupMembers(pid), []);
  }
  await screen.exited;
});

test("the same bug in a headless run: the error and a hint on stderr, programs gone, exit 1", async () => {
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", "./test/e2e/fault-in-output.ts", "src/cli.ts", "run", "blocking-send", "--json"],
    { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unexpected error \(a bug; please report it with this text\):\nError: injected fault/);
  const pids = r.stdout.trim().split("\n").map((l) => JSON.parse(l)).filter((l) =>
    l.fact === "program.started" && l.type === "fact"
  )
    .map((l) => l.pid as number);
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.ok(processGone(pid) && groupMembers(pid).length === 0, `pid ${pid} left behind`);
});
