// check --watch in a pseudo-terminal, as a learner uses it beside an editor:
// a save while a check runs stops that check (its programs with it) and a
// new one starts within a second; an editor that saves by writing a new file
// and renaming it over the old one is seen too; Ctrl-C leaves nothing
// running.
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { processGone } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { CLI, KEY, ROOT, type Screen, screensForTests } from "./pty.ts";

const open = screensForTests("socket-lessons-watch-");
const LESSON = join(ROOT, "lessons/cancel-connect");

/** Every process below `pid` now (from /proc's parent links). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function isPython(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("tracer.py");
  } catch {
    return false;
  }
}

/** The lesson programs the app runs now, once there are `count` of them (/proc, looked at every 20 ms). */
async function programsRunning(screen: Screen, count: number, withinMs = 30_000): Promise<number[]> {
  const start = performance.now();
  while (performance.now() - start < withinMs) {
    const pids = descendants(screen.pty.pid).filter(isPython);
    if (pids.length >= count) return pids;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${count} programs were not running within ${withinMs} ms; the screen:\n${screen.text()}`);
}

/** Waits for `needle` in everything the app wrote (the screen scrolls). */
function waitForOutput(screen: Screen, needle: string, timeoutMs = 30_000): Promise<string> {
  const from = screen.raw.length;
  return screen.waitFor(() => screen.raw.slice(from).includes(needle), JSON.stringify(needle), timeoutMs);
}

test("check --watch: a save mid-check stops it and checks again within 1 s; Ctrl-C leaves nothing", async () => {
  const dir = tempDir("socket-lessons-watch-work-");
  const file = join(dir, "client.py");
  copyFileSync(join(LESSON, "recv_client.py"), file); // the starter: its check lasts the server's 3 s of silence
  const screen = open({
    shell: `cd '${dir}' && exec '${process.execPath}' '${CLI}' check recv-deadline client.py --watch`,
  });
  await screen.waitForText("Watching client.py: checked again on every save", 30_000);
  const first = await programsRunning(screen, 2);

  // Saved in place, while the starter's check is still waiting on the silent server.
  const stopped = waitForOutput(screen, "(stopped: the file was saved again before this check ended)");
  const again = waitForOutput(screen, "— client.py saved: check 2 —");
  const savedAt = performance.now();
  writeFileSync(file, readFileSync(join(LESSON, "recv_deadline_solution.py")));
  await again;
  const within = performance.now() - savedAt;
  assert.ok(within < 1000, `checked again ${Math.round(within)} ms after the save`);
  await stopped;
  for (const pid of first) assert.ok(processGone(pid), `the first check's pid ${pid} was stopped`);
  await waitForOutput(screen, "Passed: all 2 criteria", 30_000);

  // An editor's save: a new file renamed over the old one.
  const third = waitForOutput(screen, "— client.py saved: check 3 —");
  const renamedAt = performance.now();
  writeFileSync(join(dir, ".client.py.swp"), readFileSync(file, "utf8").replace("giving up", "gave up"));
  renameSync(join(dir, ".client.py.swp"), file);
  await third;
  assert.ok(performance.now() - renamedAt < 1000, "a file renamed over it is a save too");
  const last = await programsRunning(screen, 2);

  screen.press(KEY.ctrlC);
  const code = await screen.exited;
  assert.equal(code, 130);
  for (const pid of [...first, ...last]) assert.ok(processGone(pid), `pid ${pid} outlived the app`);
});
