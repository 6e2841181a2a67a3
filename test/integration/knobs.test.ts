// Knobs through the built app, as a learner sets them: --set sndbuf=65536 on
// blocking-send against independent witnesses (ss's view of the client's
// socket during the run, Python's own getsockopt after the same request), the
// default run beside it; and every mistake in a --set as one line, exit 2.
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import { test } from "node:test";
import { join } from "node:path";
import { promisify } from "node:util";
import { facts, type JsonLine, ndjson, runCli } from "../helpers/cli.ts";
import { CLI } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { formatBytes } from "../../src/lessons/template.ts";

const run = promisify(execFile);
const linux = process.platform === "linux";
const hasSs = spawnSync("ss", ["-V"]).status === 0;
/** The most a TCP send can put past SO_SNDBUF: Linux checks the room before it copies one more segment (64 KiB on loopback). */
const ONE_SEGMENT = 65_536;

interface WitnessedRun {
  readonly lines: JsonLine[];
  /** Every SO_SNDBUF (skmem tb) ss showed for the client's socket while the run went on. */
  readonly tb: ReadonlySet<number>;
}

/**
 * Runs blocking-send --json, and while it runs asks ss, again and again, for
 * the client's socket (the one whose peer is the lesson's port).
 */
async function witnessedRun(extra: string[]): Promise<WitnessedRun> {
  const child = spawn(process.execPath, [CLI, "run", "blocking-send", "--json", ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let port: number | null = null;
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    port ??= Number(/"type":"lesson".*?"port":(\d+)/.exec(stdout)?.[1] ?? NaN) || null;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  let done = false;
  void exited.then(() => (done = true));
  const tb = new Set<number>();
  while (!done) {
    if (port !== null) {
      const { stdout: ss } = await run("ss", ["-tmiHn", "state", "established", `( dport = :${port} )`]);
      for (const m of ss.matchAll(/\btb(\d+)/g)) tb.add(Number(m[1]));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(await exited, 0, stderr);
  return { lines: ndjson(stdout), tb };
}

function only(lines: JsonLine[], name: string, program: string): JsonLine {
  const found = facts(lines, name, program);
  assert.ok(found.length >= 1, `${name} of ${program}`);
  return found[0]!;
}

function beatText(lines: JsonLine[], fact: string): string {
  const beat = lines.find((l) => l.type === "beat" && l.fact === fact && l.program === "client");
  assert.ok(beat, `the ${fact} beat`);
  return beat.text as string;
}

/** What Python itself reads back after asking for `bytes` of send buffer (the same request the lesson's client makes). */
function pythonGetsockopt(bytes: number): number {
  const code = "import socket; s = socket.socket(); " +
    `s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, ${bytes}); ` +
    "print(s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF))";
  return Number(spawnSync("python3", ["-c", code], { encoding: "utf8" }).stdout.trim());
}

test(
  "--set sndbuf=65536: SO_SNDBUF and the queue follow it, send() sleeps more, the narration quotes the measurement",
  {
    skip: !linux ? "needs Linux (the socket queue ioctls)" : !hasSs ? "needs ss (iproute2)" : false,
    timeout: 180_000,
  },
  async () => {
    const plain = await witnessedRun([]);
    const set = await witnessedRun(["--set", "sndbuf=65536"]);

    // The lesson line says the knob; the client asked for it (the trace's setsockopt), only when set.
    assert.deepEqual(set.lines.find((l) => l.type === "lesson")?.settings, { sndbuf: 65_536 });
    assert.equal(plain.lines.find((l) => l.type === "lesson")?.settings, undefined);
    const asked = only(set.lines, "setsockopt.called", "client");
    assert.deepEqual([asked.option, asked.value], ["SO_SNDBUF", 65_536]);
    assert.equal(facts(plain.lines, "setsockopt.called", "client").length, 0, "by default the client sets nothing");

    // SO_SNDBUF as the app measured it (the tracer's getsockopt) against ss and Python's own getsockopt.
    const filled = only(set.lines, "sendq.filled", "client");
    const limit = filled.limit as number;
    assert.deepEqual([...set.tb], [limit], "ss saw the client's SO_SNDBUF (tb) at the app's value, and only that");
    assert.equal(pythonGetsockopt(65_536), limit, "Python's getsockopt after the same setsockopt");
    const plainFilled = only(plain.lines, "sendq.filled", "client");
    assert.ok(plain.tb.has(plainFilled.limit as number), `ss saw ${[...plain.tb]}; the app ${plainFilled.limit}`);
    assert.ok(limit < (plainFilled.limit as number), `${limit} < the kernel's own ${plainFilled.limit}`);

    // The queue follows the buffer: at most one segment past it, far below the default run's.
    for (const f of facts(set.lines, "sendq.filled", "client")) {
      assert.equal(f.limit, limit);
      assert.ok((f.peak as number) <= limit + ONE_SEGMENT, `peak ${f.peak} within ${limit} + one segment`);
    }
    assert.ok((filled.peak as number) * 4 < (plainFilled.peak as number), `${filled.peak} vs ${plainFilled.peak}`);

    // A smaller buffer fills more often: the kernel put the client to sleep in send() more times.
    const sleeps = (lines: JsonLine[]) => only(lines, "send.returned", "client").sleeps as number;
    assert.ok(sleeps(set.lines) > sleeps(plain.lines), `sleeps ${sleeps(set.lines)} vs ${sleeps(plain.lines)}`);

    // The narration quotes what was asked and what was measured, and says "twice" only when it was.
    const text = beatText(set.lines, "sendq.filled").replace(/\s+/g, " ");
    assert.ok(text.includes(`You asked for ${formatBytes(65_536)} (the sndbuf knob)`), text);
    assert.ok(text.includes(`is ${formatBytes(limit)}: ${limit === 131_072 ? "twice" : ""}`), text);
    assert.ok(text.includes(`reached ${formatBytes(filled.peak as number)}`), text);
    assert.ok(!beatText(plain.lines, "sendq.filled").includes("You asked"), "nothing about a knob by default");
    const end = set.lines.find((l) => l.type === "end");
    assert.ok((end?.recap as string[]).some((r) => r.includes(`the ${formatBytes(65_536)} asked for`)));
    const returned = beatText(set.lines, "send.returned").replace(/\s+/g, " ");
    assert.ok(returned.includes(`${sleeps(set.lines).toLocaleString("en-US")} times`), returned);
  },
);

const RUN_USAGE = "Usage: socket-lessons run <id> --plain|--json [options]   (all options: socket-lessons help run)";

test("a --set that cannot apply: one line naming the knob, its range and unit; exit 2; --json says it as one line", async () => {
  const cases: [string, string][] = [
    ["sndbf=65536", 'blocking-send: no knob "sndbf": the lesson\'s knobs are sndbuf, data, delay.'],
    [
      "sndbuf=100",
      "blocking-send: 100 is out of range: sndbuf takes bytes from 1,024 to 16,777,216 (default: not set).",
    ],
    ["delay=5000", "blocking-send: 5,000 is out of range: delay takes ms from 0 to 1,000 (default: 0)."],
    ["sndbuf=64k", 'blocking-send: sndbuf takes bytes from 1,024 to 16,777,216 (default: not set), not "64k".'],
  ];
  for (const [typed, message] of cases) {
    const r = await runCli(["run", "blocking-send", "--plain", "--set", typed]);
    assert.equal(r.code, 2, typed);
    assert.equal(r.stderr, `socket-lessons: ${message}\n`, typed);
    assert.equal(r.stdout, "", `${typed}: nothing ran`);
    const j = await runCli(["run", "blocking-send", "--json", "--set", typed]);
    assert.equal(j.code, 2);
    assert.deepEqual(ndjson(j.stdout), [{ type: "error", message, hint: null, exit: 2 }]);
  }
  // Not name=value at all: commander's path, with the command's usage.
  const malformed = await runCli(["run", "blocking-send", "--plain", "--set", "sndbuf"]);
  assert.equal(malformed.code, 2);
  assert.equal(
    malformed.stderr,
    `socket-lessons: --set takes name=value, like --set sndbuf=65536, not "sndbuf".\n  ${RUN_USAGE}\n`,
  );
  const lesson = await runCli(["run", "send-all", "--plain", "--set", "sndbuf=65536"]);
  assert.equal(lesson.code, 2);
  assert.equal(lesson.stderr, 'socket-lessons: send-all: no knob "sndbuf": the lesson has none.\n');
});

test("replay refuses --set: a recording is what ran", async () => {
  const r = await runCli(["replay", "recordings/blocking-send.ndjson.gz", "--plain", "--set", "sndbuf=65536"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^socket-lessons: A replay shows the run as it was, with the knobs it was run with \(--set\)/);
});

test("a run with knobs recorded: its replay applies them, says them in its label and tells the same beats", {
  skip: linux ? false : "records a Linux run",
  timeout: 120_000,
}, async () => {
  const dir = tempDir("socket-lessons-knobs-");
  const file = join(dir, "run.ndjson.gz");
  const live = await runCli([
    "run",
    "blocking-send",
    "--json",
    "--set",
    "sndbuf=65536",
    "--set",
    "data=2000000",
    "--record",
    file,
  ]);
  assert.equal(live.code, 0, live.stderr);
  const replayed = await runCli(["replay", file, "--json", "--instant"]);
  assert.equal(replayed.code, 0, replayed.stderr);
  const liveLines = ndjson(live.stdout);
  const lines = ndjson(replayed.stdout);
  const lesson = lines.find((l) => l.type === "lesson")!;
  assert.deepEqual(lesson.settings, { sndbuf: 65_536, data: 2_000_000 });
  const replay = lesson.replay as { label: string; notes: string[] };
  assert.match(replay.label, /, with the knobs set sndbuf=65536 data=2000000\. Nothing runs now/);
  assert.ok(replay.notes.includes("the run was made with the lesson's knobs set: sndbuf=65536 data=2000000 (--set)"));
  const beats = (all: JsonLine[]) => all.filter((l) => l.type === "beat").map((l) => l.text);
  assert.deepEqual(beats(lines), beats(liveLines));
  assert.ok(beats(lines).some((t) => String(t).includes("2,000,000 bytes of")), "the data knob's beat");
  const plain = await runCli(["replay", file, "--plain", "--instant"]);
  assert.match(plain.stdout, /^Knobs set: sndbuf=65536 \(default: not set\), data=2000000 \(default: 136314880\)\.$/m);
});
