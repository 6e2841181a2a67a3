// socket-lessons programs <id> [dir]: the lesson's programs copied where a
// learner can run them, and the commands it prints really run them.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { CLI, listening, ndjson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function finished(child: ChildProcess): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The app as a learner runs it from a folder of their own. */
function app(args: string[], cwd: string): Promise<Ran> {
  return finished(spawn(process.execPath, [CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] }));
}

/** A line the learner types: exactly as printed, comment and all, by the shell. */
function shell(line: string, cwd: string): ChildProcess {
  return spawn("sh", ["-c", line], { cwd, stdio: ["ignore", "pipe", "pipe"] });
}

async function until(ok: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("programs blocking-recv: copied into ./socket-lessons-programs/blocking-recv; the printed commands run, server then client", async () => {
  const home = tempDir("programs-");
  const copied = await app(["programs", "blocking-recv"], home);
  assert.equal(copied.code, 0, copied.stderr);
  const dir = join(home, "socket-lessons-programs", "blocking-recv");
  assert.deepEqual(readdirSync(dir).sort(), ["late_client.py", "recv_server.py"]);
  const lines = copied.stdout.split("\n");
  const cd = lines.find((l) => l.startsWith("  cd "))!.trim();
  assert.equal(cd, "cd socket-lessons-programs/blocking-recv");
  const [server, client] = lines.filter((l) => l.startsWith("  python3 ")).map((l) => l.trim());
  assert.match(server!, /^python3 recv_server\.py \d+ +# 1\. server$/);
  assert.match(client!, /^python3 late_client\.py \d+ +# 2\. client$/);
  assert.match(copied.stdout, /The lesson starts the client once\nthe server's accept\(\) takes over 200 ms\./);
  assert.ok(copied.stdout.split("\n").every((l) => l.length <= 80), "fits 80 columns");
  const port = Number(/\(port (\d+) on 127\.0\.0\.1 was free when this was printed\)/.exec(copied.stdout)![1]);
  assert.ok(server!.includes(` ${port} `));

  const serverRun = finished(shell(`${cd} && ${server}`, home));
  await until(() => listening(port), 5_000);
  const clientRun = await finished(shell(`${cd} && ${client}`, home));
  const served = await serverRun;
  assert.equal(clientRun.code, 0, clientRun.stderr);
  assert.equal(served.code, 0, served.stderr);
  assert.match(served.stdout, /^Connected by \('127\.0\.0\.1', \d+\)\nReceived b'Hello Python\\n'\n$/);
});

test("programs refuses to overwrite: names the files, copies nothing, exit 2; --json says it as a JSON line", async () => {
  const home = tempDir("programs-");
  const dir = join(home, "mine");
  assert.equal((await app(["programs", "blocking-send", "mine"], home)).code, 0);
  writeFileSync(join(dir, "block_client.py"), "# my edits\n");
  const again = await app(["programs", "blocking-send", "mine"], home);
  assert.equal(again.code, 2);
  assert.equal(
    again.stderr,
    "socket-lessons: mine already has block_server.py, block_client.py: socket-lessons never overwrites a file, " +
      "so nothing was copied.\n  Move them away, or copy to another folder: socket-lessons programs blocking-send " +
      "OTHER-FOLDER\n",
  );
  assert.equal(readFileSync(join(dir, "block_client.py"), "utf8"), "# my edits\n");
  const json = await app(["programs", "blocking-send", "mine", "--json"], home);
  assert.equal(json.code, 2);
  assert.deepEqual(ndjson(json.stdout).map((l) => [l.type, l.exit]), [["error", 2]]);
  const usage =
    "  Usage: socket-lessons programs <id> [dir] [--port <N>] [--python <path>] [--lessons <dir>] [--json]   " +
    "(all options: socket-lessons help programs)\n";
  const missing = await app(["programs"], home);
  assert.deepEqual(
    [missing.code, missing.stderr],
    [2, `socket-lessons: programs needs a lesson id, e.g. socket-lessons programs blocking-send.\n${usage}`],
  );
  const extra = await app(["programs", "blocking-send", "a", "b"], home);
  assert.deepEqual(
    [extra.code, extra.stderr],
    [2, `socket-lessons: Unexpected "b": programs takes only a lesson id and a folder.\n${usage}`],
  );
  const unknown = await app(["programs", "nope"], home);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^socket-lessons: Unknown lesson "nope"\. Known lessons: blocking-send, /);
});

test("programs --json: the folder, the files once each, and each program's command with its env and port", async () => {
  const home = tempDir("programs-");
  const r = await app(["programs", "one-at-a-time-vs-selectors", "--json", "--port", "23456"], home);
  assert.equal(r.code, 0, r.stderr);
  const [answer] = ndjson(r.stdout);
  assert.equal(answer!.dir, join(home, "socket-lessons-programs", "one-at-a-time-vs-selectors"));
  assert.deepEqual(answer!.files, ["echo_server.py", "client.py"]);
  assert.deepEqual((answer!.runs as { command: string }[]).map((run) => run.command), [
    "python3 echo_server.py 23456",
    "CLIENT=client-1 python3 client.py 23456",
    "CLIENT=client-2 python3 client.py 23456",
    "CLIENT=client-3 python3 client.py 23456",
  ]);
});

test("every shipped program falls back to the tutorial's port 12345 when run without one, as programs says", () => {
  const lessons = fileURLToPath(new URL("../../lessons/", import.meta.url));
  for (const id of readdirSync(lessons)) {
    for (const file of readdirSync(join(lessons, id)).filter((f) => f.endsWith(".py"))) {
      assert.match(
        readFileSync(join(lessons, id, file), "utf8"),
        /sys\.argv\[1\] if len\(sys\.argv\) > 1 else .*12345/,
        file,
      );
    }
  }
});
