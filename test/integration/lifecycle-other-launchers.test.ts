// The exit paths that involve signals, when the app is started through npx
// and under Deno: the same results as under Node. (The TUI's keys and
// signals at every phase, from each launcher, are in test/exits/exit-paths.)
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { groupMembers, type JsonLine, startApp, waitAllGone } from "../helpers/cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NPX = ["npx", "--no-install", "socket-lessons"];
const DENO = [`${ROOT}node_modules/deno/deno`, "run", "-A", `${ROOT}src/cli.ts`];
const blocked = (l: JsonLine) => l.type === "fact" && l.fact === "send.blocked";
const MISBEHAVING = fileURLToPath(new URL("../fixtures/lessons-misbehaving/", import.meta.url));
const LAUNCHERS = { node: undefined, Deno: DENO, npx: NPX } as const;

// Quitting while a program misbehaves, from each launcher: one that ignores
// SIGTERM gets SIGKILL after the grace period and the app says so; one that
// started a child of its own goes with that child (the whole group).
for (const [launcher, command] of Object.entries(LAUNCHERS)) {
  test(`${launcher}: SIGTERM while a program ignores SIGTERM: SIGKILL after the grace, said so, all gone within 2 s`, async () => {
    const app = startApp(["run", "ignores-term", "--json", "--lessons", MISBEHAVING], {}, command);
    await app.waitFor((l) => l.type === "fact" && l.fact === "listen.returned");
    const sent = performance.now();
    app.child.kill("SIGTERM");
    const { code, signal } = await app.exit;
    // The app exits 143 from its handler; only npm re-raises the signal on itself once its child has gone.
    if (launcher === "npx") assert.ok(code === 143 || signal === "SIGTERM", `exit: code ${code}, signal ${signal}`);
    else assert.deepEqual([code, signal], [143, null]);
    const problem = app.lines.find((l) => l.type === "problem");
    assert.match(String(problem?.message), /^server \(pid \d+\) ignored SIGTERM for 700 ms: sent SIGKILL$/);
    const exited = app.lines.find((l) => l.type === "fact" && l.fact === "program.exited");
    assert.equal(exited?.signal, "SIGKILL");
    await waitAllGone(app.pids(), app.port(), Math.max(0, 2000 - (performance.now() - sent)));
  });

  test(`${launcher}: SIGTERM while a program has a child of its own: both gone within 2 s`, async () => {
    const app = startApp(["run", "has-a-child", "--json", "--lessons", MISBEHAVING], {}, command);
    await app.waitFor((l) => l.type === "fact" && l.fact === "listen.returned");
    const [pid] = app.pids();
    const group = groupMembers(pid!);
    assert.equal(group.length, 2, "the server and its child share the group while it runs");
    const sent = performance.now();
    app.child.kill("SIGTERM");
    await app.exit;
    await waitAllGone(group, app.port(), Math.max(0, 2000 - (performance.now() - sent)));
  });
}

test("npx killed with SIGKILL (npm passes on no signal): the orphaned app stops its programs", async () => {
  const app = startApp(["run", "blocking-send", "--json"], {}, NPX);
  await app.waitFor(blocked);
  app.child.kill("SIGKILL"); // npx itself; the app under it sees its parent go
  await waitAllGone(app.pids(), app.port(), 2000);
});

test("npx sent SIGTERM: the programs are gone within 2 s", async () => {
  const app = startApp(["run", "blocking-send", "--json"], {}, NPX);
  await app.waitFor(blocked);
  app.child.kill("SIGTERM");
  await waitAllGone(app.pids(), app.port(), 2000);
});

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  test(`under Deno, ${signal} mid-transfer: exit 128+n, nothing left`, async () => {
    const app = startApp(["run", "blocking-send", "--json"], {}, DENO);
    await app.waitFor(blocked);
    app.child.kill(signal);
    const { code } = await app.exit;
    assert.equal(code, { SIGTERM: 143, SIGINT: 130, SIGHUP: 129 }[signal]);
    await waitAllGone(app.pids(), app.port(), 2000);
  });
}

test("under Deno, the app killed with SIGKILL: the programs see their channel close and go", async () => {
  const app = startApp(["run", "cancel-connect", "--json"], {}, DENO);
  await app.waitFor((l) => l.type === "fact" && l.fact === "connect.blocked");
  app.child.kill("SIGKILL");
  await app.exit;
  await waitAllGone(app.pids(), app.port(), 2000);
});
