// The exit paths that involve signals, when the app is started through npx
// and under Deno: the same results as under Node.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { type JsonLine, startApp, waitAllGone } from "../helpers/cli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NPX = ["npx", "--no-install", "socket-lessons"];
const DENO = [`${ROOT}node_modules/deno/deno`, "run", "-A", `${ROOT}src/cli.ts`];
const blocked = (l: JsonLine) => l.type === "fact" && l.fact === "send.blocked";

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
