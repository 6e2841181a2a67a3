// The TUI's exit paths when started under Deno and through npx, in a real pty.
import assert from "node:assert/strict";
import { test } from "node:test";
import { groupMembers, processGone } from "../helpers/cli.ts";
import { ROOT, type Screen, screensForTests, shownPids } from "./pty.ts";

const open = screensForTests("socket-lessons-launchers-");

async function asleepInSend(screen: Screen): Promise<number[]> {
  const text = await screen.waitFor(
    (t) => /◌ asleep in sendto/.test(t) && shownPids(t).length === 2,
    "client asleep in sendto",
    30_000,
  );
  return shownPids(text);
}

async function allGone(pids: number[], withinMs: number): Promise<void> {
  const start = performance.now();
  while (pids.some((p) => !processGone(p) || groupMembers(p).length > 0)) {
    if (performance.now() - start > withinMs) assert.fail(`still running after ${withinMs} ms: ${pids.join(", ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("the TUI under Deno, SIGTERM mid-lesson: exit 143, terminal restored, programs gone", async () => {
  const screen = open({ shell: `cd '${ROOT}' && exec ./node_modules/deno/deno run -A src/cli.ts blocking-send` });
  const pids = await asleepInSend(screen);
  process.kill(screen.pty.pid, "SIGTERM");
  assert.equal(await screen.exited, 143);
  await allGone(pids, 2000);
  assert.ok(
    screen.raw.lastIndexOf("\x1b[?1049l") > screen.raw.lastIndexOf("\x1b[?1049h"),
    "the alternate screen was left",
  );
});

test("the TUI through npx, Ctrl-C mid-lesson: exit 130, programs gone", async () => {
  const screen = open({ shell: `cd '${ROOT}' && exec npx --no-install socket-lessons blocking-send` });
  const pids = await asleepInSend(screen);
  screen.press("\x03");
  assert.equal(await screen.exited, 130);
  await allGone(pids, 2000);
});

test("the TUI through npx, npx killed: the orphaned app stops its programs", async () => {
  const screen = open({ shell: `cd '${ROOT}' && exec npx --no-install socket-lessons blocking-send` });
  const pids = await asleepInSend(screen);
  process.kill(screen.pty.pid, "SIGKILL"); // npx itself; it passes nothing on
  await allGone(pids, 2000);
});
