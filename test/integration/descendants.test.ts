// Processes that leave the program's process group: a setsid() child, a
// double-forked daemon and a Popen(start_new_session=True), each ignoring
// SIGTERM (test/fixtures/lessons-misbehaving/leaves-processes). Stopping the
// group cannot reach them; whatever way the app ends, none may remain. The
// witness is /proc: each pid (its start time checked, so a reused pid is not
// mistaken for it) is gone or a zombie.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { type JsonLine, processGone, startApp } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { KEY, screensForTests } from "../e2e/pty.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MISBEHAVING = fileURLToPath(new URL("../fixtures/lessons-misbehaving/", import.meta.url));
const DENO = [`${ROOT}node_modules/deno/deno`, "run", "-A", `${ROOT}src/cli.ts`];
const openScreen = screensForTests("socket-lessons-descendants-");

interface Leftovers {
  readonly file: string;
  readonly env: Record<string, string>;
}

function leftovers(then: "exit" | "wait"): Leftovers {
  const dir = tempDir("socket-lessons-leftovers-");
  const file = join(dir, "pids");
  return { file, env: { LEFTOVER_PIDS_FILE: file, LEFTOVER_THEN: then, LEFTOVER_GO_FILE: join(dir, "go") } };
}

/** The three processes' pids once each has written its own (and so ignores SIGTERM already). */
async function threePids(file: string): Promise<number[]> {
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    let pids: number[] = [];
    try {
      pids = readFileSync(file, "utf8").split("\n").filter(Boolean).map(Number);
    } catch {
      // not written yet
    }
    if (pids.length === 3) return pids;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`the three processes did not start in 20 s (${file})`);
}

/** Still running: /proc has it and it is not a zombie. */
function alive(pids: number[]): number[] {
  return pids.filter((pid) => !processGone(pid));
}

async function allGoneWithin(pids: number[], ms: number, what: string): Promise<number> {
  const start = performance.now();
  while (alive(pids).length > 0 && performance.now() - start < ms) await new Promise((r) => setTimeout(r, 10));
  const left = alive(pids);
  const states = left.map((pid) => `${pid}: ${readFileSync(`/proc/${pid}/stat`, "utf8").trim()}`);
  assert.deepEqual(left, [], `${what}: still running after ${ms} ms:\n${states.join("\n")}`);
  return performance.now() - start;
}

const listening = (l: JsonLine) => l.type === "fact" && l.fact === "listen.returned";

test("a normal end: the program exits, its three processes outside its group are stopped, and the app says so", async () => {
  const { file, env } = leftovers("exit");
  const app = startApp(["run", "leaves-processes", "--json", "--lessons", MISBEHAVING], env);
  const pids = await threePids(file);
  assert.equal(alive(pids).length, 3, "all three run while the program does");
  writeFileSync(env.LEFTOVER_GO_FILE!, ""); // the program exits now (it waited, so the check above is not a race)
  const { code } = await app.exit;
  assert.equal(code, 0);
  await allGoneWithin(pids, 0, "after the app's exit");
  const problem = app.lines.find((l) => l.type === "problem");
  assert.equal(problem?.message, "server left 3 processes it had started running when it exited: stopped (SIGKILL)");
});

for (const [launcher, command] of [["node", undefined], ["Deno", DENO]] as const) {
  test(`${launcher}: SIGTERM to the app mid-lesson: the program and its three processes are gone when it exits`, async () => {
    const { file, env } = leftovers("wait");
    const app = startApp(["run", "leaves-processes", "--json", "--lessons", MISBEHAVING], env, command);
    const pids = await threePids(file);
    await app.waitFor(listening);
    app.child.kill("SIGTERM");
    assert.deepEqual([(await app.exit).code], [143]);
    await allGoneWithin([...pids, ...app.pids()], 0, "after the app's exit");
    const problem = app.lines.find((l) => l.type === "problem");
    assert.equal(
      problem?.message,
      "server left 3 processes it had started running after it was stopped: stopped (SIGKILL)",
    );
  });
}

test("SIGKILL of the app: the tracer notices (its channel closes) and stops all three within 1 s", async () => {
  const { file, env } = leftovers("wait");
  const app = startApp(["run", "leaves-processes", "--json", "--lessons", MISBEHAVING], env);
  const pids = await threePids(file);
  await app.waitFor(listening);
  app.child.kill("SIGKILL");
  await app.exit;
  const ms = await allGoneWithin([...pids, ...app.pids()], 1000, "after SIGKILL of the app");
  console.log(`# SIGKILL of the app: the program and its 3 processes gone ${ms.toFixed(0)} ms after its exit was seen`);
});

test("Ctrl-C in the player mid-lesson: the program and its three processes are gone when the app exits", async () => {
  const { file, env } = leftovers("wait");
  const screen = openScreen({ args: ["run", "leaves-processes", "--lessons", MISBEHAVING], env });
  const pids = await threePids(file);
  await screen.waitForText("› listening, three processes started");
  screen.press(KEY.ctrlC);
  assert.equal(await screen.exited, 130);
  await allGoneWithin(pids, 0, "after Ctrl-C");
});
