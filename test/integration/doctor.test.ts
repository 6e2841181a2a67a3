// socket-lessons doctor on this machine, in trace-only mode, and without Python.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";

test("doctor on this Linux machine: every capability, the kernel's buffer sizes, exit 0", async () => {
  const r = await runCli(["doctor"]);
  assert.equal(r.code, 0, r.stderr);
  for (const name of ["Python", "/proc", "wchan", "syscall", "socket queues", "call counts"]) {
    assert.match(r.stdout, new RegExp(`^ok {2}${name.replace("/", "\\/")} `, "m"));
  }
  const wmem = readFileSync("/proc/sys/net/ipv4/tcp_wmem", "utf8").trim().split(/\s+/).join(" ");
  assert.match(r.stdout, new RegExp(`^ok {2}tcp_wmem +${wmem} `, "m"));
  assert.match(r.stdout, /^ok {2}runtime +Node\.js v\d+/m);
  assert.match(r.stdout, /Lessons can run, with the full kernel view\.\n$/);
});

test("doctor --probe trace-only: the kernel view marked missing, lessons still run", async () => {
  const r = await runCli(["doctor", "--probe", "trace-only", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  const byName = Object.fromEntries(report.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok]));
  assert.deepEqual([byName["/proc"], byName.wchan, byName.syscall, byName.Python], [false, false, false, true]);
  assert.equal(report.canRun, true);
  assert.match(report.verdict, /trace-only/);
});

test("doctor without Python says so and exits 2", async () => {
  const r = await runCli(["doctor", "--python", "/nonexistent/python3"]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /^-- {2}Python +Python was not found/m);
  assert.match(r.stdout, /Lessons cannot run: fix Python first\.\n$/);
});
