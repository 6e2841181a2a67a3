// Holds: while the learner reads, the real programs wait, and the kernel's own
// view agrees for as long as the hold lasts: /proc shows the client asleep in
// sendto, ss shows its send queue near full.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { type JsonLine, startApp, waitAllGone } from "../helpers/cli.ts";

const SENDTO = process.arch === "arm64" ? 206 : 44;
const linux = process.platform === "linux";
const hasSs = spawnSync("ss", ["-V"]).status === 0;

function procState(pid: number): { state: string; syscall: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]!;
  const syscall = Number(readFileSync(`/proc/${pid}/syscall`, "utf8").split(" ")[0]);
  return { state, syscall };
}

function sendQ(local: string, peer: string): number | null {
  const row = execFileSync("ss", ["-tnH"], { encoding: "utf8" }).split("\n").map((l) => l.trim().split(/\s+/))
    .find((c) => c[3] === local && c[4] === peer);
  return row ? Number(row[2]) : null;
}

test("blocking-send --hold 7: for 5 s of the hold, the client asleep in sendto with its send queue near full", {
  skip: !linux ? "needs Linux (/proc)" : !hasSs ? "needs ss (Debian's iproute2)" : false,
}, async () => {
  const app = startApp(["run", "blocking-send", "--json", "--hold", "7"]);
  const fact = (name: string, program: string) => (l: JsonLine) =>
    l.type === "fact" && l.fact === name && l.program === program;
  const hold = await app.waitFor((l) => l.type === "hold" && l.program === "server");
  assert.deepEqual([hold.call, hold.when], ["recv", "before"]);
  const client = (await app.waitFor(fact("program.started", "client"))).pid as number;
  const connected = await app.waitFor(fact("connect.returned", "client"));
  const limit = (await app.waitFor(fact("sendq.filled", "client"))).limit as number;
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const { state, syscall } = procState(client);
    const queued = sendQ(String(connected.local), String(connected.peer));
    seen.push(`${state}/${syscall}/${queued}`);
    assert.equal(state, "S", `the client asleep, at ${i * 0.5} s of the hold: ${seen.join(" ")}`);
    assert.equal(syscall, SENDTO, "in sendto");
    assert.ok(queued !== null && queued >= limit * 0.6, `Send-Q ${queued} of SO_SNDBUF ${limit}`);
    await delay(500);
  }
  assert.equal(app.lines.filter((l) => l.type === "release").length, 0, "still held after 5 s");
  const release = await app.waitFor((l) => l.type === "release" && l.program === "server");
  assert.ok(
    (release.t as number) - (hold.t as number) >= 6900,
    `held ${(release.t as number) - (hold.t as number)} ms`,
  );
  const end = await app.exit;
  assert.equal(end.code, 0);
  const returned = app.lines.find(fact("send.returned", "client"))!;
  assert.ok((returned.ms as number) >= 7000, "send() waited out the hold");
  await waitAllGone(app.pids(), app.port(), 2000);
});
