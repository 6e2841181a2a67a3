// Nothing outlives the app: a signal mid-lesson, and the app killed outright.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { CLI, listening, processGone } from "../helpers/cli.ts";

interface Started {
  child: ReturnType<typeof spawn>;
  pids: number[];
  port: number;
  exit: Promise<{ code: number | null; signal: string | null }>;
}

/** Starts `run blocking-send --json` and resolves once the client is asleep in send. */
function startUntilBlocked(): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "run", "blocking-send", "--json"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exit = new Promise<{ code: number | null; signal: string | null }>((done) =>
      child.on("exit", (code, signal) => done({ code, signal }))
    );
    const pids: number[] = [];
    let port = 0;
    let rest = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const line of lines) {
        const obj = JSON.parse(line);
        if (obj.type === "lesson") port = obj.port;
        if (obj.type === "fact" && obj.fact === "program.started") pids.push(obj.pid);
        if (obj.type === "fact" && obj.fact === "send.blocked") resolve({ child, pids, port, exit });
      }
    });
    child.on("exit", () => reject(new Error("the app ended before the client blocked")));
  });
}

async function waitGone(pids: number[], port: number, withinMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < withinMs) {
    if (pids.every(processGone) && !listening(port)) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 20));
  }
  const left = pids.filter((pid) => !processGone(pid));
  assert.fail(
    `after ${withinMs} ms: pids ${left.join(", ") || "none"} remain; port ${port} listening: ${listening(port)}`,
  );
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  test(`${signal} mid-transfer: the app stops its programs and exits with 128+n`, async () => {
    const run = await startUntilBlocked();
    assert.equal(run.pids.length, 2);
    run.child.kill(signal);
    const { code } = await run.exit;
    assert.equal(code, { SIGTERM: 143, SIGINT: 130, SIGHUP: 129 }[signal]);
    await waitGone(run.pids, run.port, 2000);
  });
}

test("the app killed with SIGKILL: the programs see their trace channel close and exit within 2 s", async () => {
  const run = await startUntilBlocked();
  run.child.kill("SIGKILL");
  await run.exit;
  const tookMs = await waitGone(run.pids, run.port, 2000);
  assert.ok(tookMs < 2000);
});
