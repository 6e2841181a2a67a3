// --record and replay on real runs, through the built app (Node) and from
// the sources under Deno: a fresh recording replays with the beats and the
// numbers the live run printed (with holds, and with the probe off); a Linux
// recording replays where the probe is off (a faked macOS); replays are
// labelled; what a user can get wrong is one sentence and exit 2.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import { type JsonLine, ndjson, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DENO = `${ROOT}node_modules/deno/deno`;
const SHIPPED = `${ROOT}recordings/blocking-send.ndjson.gz`;

/** The lines without what only says a replay is one (and the next step, which a replay does not offer). */
function unlabelled(lines: JsonLine[]): Record<string, unknown>[] {
  return lines.map(({ replay: _, next: _next, ...rest }) => rest);
}

test("run --json --hold 1 --record, then replay --json --instant: the live run's lines, labelled as a replay", async () => {
  const file = join(tempDir("sl-rec-"), "nb.ndjson.gz");
  const live = await runCli(["run", "non-blocking-send", "--json", "--hold", "1", "--record", file]);
  assert.equal(live.code, 0, live.stderr);
  assert.match(live.stderr, /recorded the run to .*nb\.ndjson\.gz \(\d+ lines, [\d.]+ KiB\)/);
  const replay = await runCli(["replay", file, "--json", "--instant"]);
  assert.equal(replay.code, 0, replay.stderr);
  const [liveLines, replayLines] = [ndjson(live.stdout), ndjson(replay.stdout)];
  assert.ok(liveLines.some((l) => l.type === "hold") && liveLines.some((l) => l.type === "release"), "held");
  assert.deepEqual(unlabelled(replayLines), unlabelled(liveLines));
  const label = replayLines[0]!.replay as Record<string, unknown>;
  assert.equal(label.file, file);
  assert.match(
    String(label.label),
    /^Replay of a run recorded on Linux .* \(Python 3\.\d+\.\d+\) at \d{4}-\d\d-\d\d \d\d:\d\d UTC\./,
  );
  assert.deepEqual(label.notes, [
    "the programs waited at the lesson's holds for 1 s each (--hold): socket-lessons' doing",
  ]);
  assert.equal(replayLines.at(-1)!.replay, true);
  assert.equal(liveLines[0]!.replay, null);

  // In real time by default: as long as the recorded run took, holds included.
  const started = performance.now();
  const plain = await runCli(["replay", file, "--plain"]);
  const tookMs = performance.now() - started;
  const endMs = liveLines.at(-1)!.t as number;
  assert.ok(tookMs >= endMs, `replayed in ${tookMs} ms, the run took ${endMs} ms`);
  const out = plain.stdout.trim().split("\n");
  assert.match(out[0]!, /^REPLAY\. Replay of a run recorded on Linux /);
  assert.match(out.at(-1)!, /^Replay over: the recorded run ended after [\d.]+ s: every program exited\.$/);
  assert.ok(out.includes("Timeline (recorded)"));
});

test("under Deno, --probe trace-only: recorded and replayed with the same beats and numbers", () => {
  const file = join(tempDir("sl-rec-deno-"), "nb.ndjson");
  const deno = (...args: string[]) =>
    spawnSync(DENO, ["run", "-A", "src/cli.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  const live = deno("run", "non-blocking-send", "--json", "--probe", "trace-only", "--record", file);
  assert.equal(live.status, 0, live.stderr);
  const replay = deno("replay", file, "--json", "--instant");
  assert.equal(replay.status, 0, replay.stderr);
  const liveLines = ndjson(live.stdout);
  assert.equal((liveLines[0]!.probe as { off: string }).off, "--probe trace-only");
  assert.deepEqual(unlabelled(ndjson(replay.stdout)), unlabelled(liveLines));
  const header = JSON.parse(readFileSync(file, "utf8").split("\n")[0]!);
  assert.match(header.machine.runtime, /^deno /);
});

test("a Linux recording replays the same where the probe is off (a faked macOS): the replay never reads this kernel", async () => {
  const mac = { SOCKET_LESSONS_PLATFORM: "darwin" };
  // The fake is real for a live run: no probe.
  const doctor = await runCli(["doctor", "--json"], mac);
  assert.match(doctor.stdout, /darwin has no \/proc/);
  const here = await runCli(["replay", SHIPPED, "--json", "--instant"]);
  const onMac = await runCli(["replay", SHIPPED, "--json", "--instant"], mac);
  assert.equal(onMac.code, 0, onMac.stderr);
  assert.equal(onMac.stdout, here.stdout);
  const witness = ndjson(readFileSync(SHIPPED.replace(".ndjson.gz", ".witness.ndjson"), "utf8"));
  assert.deepEqual(unlabelled(ndjson(onMac.stdout)), unlabelled(witness));
  assert.ok(ndjson(onMac.stdout).some((l) => l.type === "fact" && l.fact === "send.blocked"), "the kernel's facts");
});

test("replay: a missing file, not a recording, a newer one, an edited one, a lesson that does not load: one sentence, exit 2", async () => {
  const dir = tempDir("sl-rec-bad-");
  const good = readFileSync(`${ROOT}recordings/non-blocking-send.ndjson.gz`);
  const lines = (await import("node:zlib")).gunzipSync(good).toString("utf8").trim().split("\n");
  const header = JSON.parse(lines[0]!);
  const write = (name: string, text: string | Uint8Array) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cases: [string, string, RegExp][] = [
    ["missing", join(dir, "nothing.ndjson"), /^There is no recording .*nothing\.ndjson: no such file\.$/],
    [
      "a folder",
      (mkdirSync(join(dir, "folder")), join(dir, "folder")),
      /is not a recording: it is not a regular file\./,
    ],
    ["text", write("notes.txt", "hello\n"), /is not a socket-lessons recording \(not JSON lines\)\.$/],
    ["JSON", write("other.json", '{"type":"lesson"}\n'), /is not a socket-lessons recording \(its first line/],
    ["broken gzip", write("cut.gz", good.subarray(0, 100)), /is gzipped, but does not unpack\./],
    [
      "newer",
      write("newer.ndjson", [JSON.stringify({ ...header, version: 99 }), ...lines.slice(1)].join("\n")),
      /was made by a newer socket-lessons \(recording format 99; this one reads up to 2\)\.$/,
    ],
    [
      "edited",
      write(
        "edited.ndjson.gz",
        gzipSync([...lines.slice(0, 5), '{"type":"observation","obs":{"kind":"proc","t":1}}'].join("\n")),
      ),
      /edited\.ndjson\.gz:6: a proc observation with a bad program\.$/,
    ],
    [
      "another lesson's programs",
      write("moved.ndjson", lines.map((l) => l.replaceAll('"program":"client"', '"program":"intruder"')).join("\n")),
      /"intruder" is not a program of the lesson it records\.$/,
    ],
    [
      "its lesson broken",
      write(
        "broken-lesson.ndjson",
        [JSON.stringify({ ...header, files: { ...header.files, lessonText: "title: x\n" } }), ...lines.slice(1)].join(
          "\n",
        ),
      ),
      /its lesson does not load here: .*lesson\.yaml:\d+: /,
    ],
  ];
  for (const [what, file, message] of cases) {
    const r = await runCli(["replay", file, "--json"]);
    assert.equal(r.code, 2, `${what}: ${r.stderr}`);
    const stderr = r.stderr.trim().split("\n");
    assert.match(stderr[0]!.replace(/^socket-lessons: /, ""), message, what);
    assert.ok(!/\n\s+at /.test(r.stderr), `${what}: no stack`);
    const error = ndjson(r.stdout).at(-1)!;
    assert.equal(error.type, "error");
    assert.equal(error.exit, 2);
  }
});

test("--record to a file that cannot be written: said before anything runs, exit 2", async () => {
  const dir = tempDir("sl-rec-out-");
  for (
    const [path, message] of [
      [join(dir, "no", "such", "run.ndjson"), /cannot be written: the folder .* does not exist\.$/],
      [dir, /is a folder: give it a file name\.$/],
    ] as const
  ) {
    const started = performance.now();
    const r = await runCli(["run", "blocking-send", "--plain", "--record", path]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.split("\n")[0]!, message);
    assert.equal(r.stdout, "", "nothing ran");
    assert.ok(performance.now() - started < 5_000);
  }
});
