// socket-lessons doctor on this machine, in trace-only mode, and without Python.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { Progress } from "../../src/ui/progress.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MISBEHAVING = fileURLToPath(new URL("../fixtures/lessons-misbehaving/", import.meta.url));

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

test("doctor says where progress is kept (XDG_CONFIG_HOME honoured, the file as the player writes it) and where the lessons are", async () => {
  const config = tempDir("socket-lessons-doctor-");
  const before = await runCli(["doctor"], { XDG_CONFIG_HOME: config });
  const file = join(config, "socket-lessons", "progress.json");
  assert.match(before.stdout, new RegExp(`^ok {2}progress +${escape(file)} \\(not written yet\\)$`, "m"));
  assert.match(before.stdout, new RegExp(`^ok {2}lessons +${escape(join(ROOT, "lessons"))} \\(\\d+ lessons\\)$`, "m"));
  // The player's own progress module writes the file: doctor reads the same place.
  Progress.load(join(config, "socket-lessons")).markDone("blocking-send");
  const after = await runCli(["doctor", "--lessons", MISBEHAVING], { XDG_CONFIG_HOME: config });
  assert.match(after.stdout, new RegExp(`^ok {2}progress +${escape(file)} \\(1 lesson done\\)$`, "m"));
  assert.match(
    after.stdout,
    new RegExp(`^ok {2}lessons +${escape(MISBEHAVING.replace(/\/$/, ""))} \\(\\d+ lessons\\)$`, "m"),
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
