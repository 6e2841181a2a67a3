// What a user can get wrong: each gets one clear message and exit code 2.
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ndjson, runCli } from "../helpers/cli.ts";

const BROKEN = new URL("../fixtures/lessons-broken/", import.meta.url).pathname;

test("an unknown lesson id lists the known ones; with --json the error is also a JSON line on stdout", async () => {
  const r = await runCli(["run", "no-such-lesson", "--json"]);
  assert.equal(r.code, 2);
  const message = 'Unknown lesson "no-such-lesson". Known lessons: blocking-send, non-blocking-send, cancel-connect, ' +
    "blocking-recv, send-all, select-writable, timeouts, one-at-a-time-vs-selectors, slow-reader.";
  assert.ok(r.stderr.includes(message), r.stderr);
  assert.deepEqual(ndjson(r.stdout), [
    { type: "error", message, hint: "See them with: socket-lessons list", exit: 2 },
  ]);
});

test("--python pointing nowhere", async () => {
  const r = await runCli(["run", "blocking-send", "--plain", "--python", "/nonexistent/python3"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Python was not found: "\/nonexistent\/python3" is not a program on this machine\./);
  assert.match(r.stderr, /--python/);
});

test("a Python older than 3.8 is refused with its version", async () => {
  // A stand-in that answers the version check as Python 2.7 would.
  const dir = mkdtempSync(join(tmpdir(), "sl-py2-"));
  const fake = join(dir, "python2");
  writeFileSync(fake, "#!/bin/sh\nprintf '2.7.18\\n/usr/bin/python2\\n\\n'\n");
  chmodSync(fake, 0o755);
  const r = await runCli(["run", "blocking-send", "--plain", "--python", fake]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is Python 2\.7\.18; the lessons need Python 3\.8 or newer\./);
});

test("a busy --port is named, and nothing starts", async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const r = await runCli(["run", "blocking-send", "--json", "--port", String(port)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use\\.`));
    const [error, ...more] = ndjson(r.stdout);
    assert.deepEqual(more, [], "nothing started: the error is the only line");
    assert.equal(error!.type, "error");
    assert.match(String(error!.message), new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use\\.`));
    assert.equal(error!.exit, 2);
  } finally {
    server.close();
  }
});

test("a broken lesson folder: list shows the good lesson and names each error by file, line and field", async () => {
  const r = await runCli(["list", "--json", "--lessons", BROKEN]);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout).map((l: { id: string }) => l.id), ["good"]);
  assert.match(
    r.stderr,
    /unknown-fact\/lesson\.yaml:11: beats\[2\]\.on: unknown fact "client\.sleep" \(known: <call>\.<phase> with call one of /,
  );
  assert.match(r.stderr, /missing-program-file\/lesson\.yaml:\d+: programs\[\d\]\.file: /);
  assert.match(r.stderr, /empty\/lesson\.yaml:1: empty lesson file/);
});

test("running a broken lesson prints its errors and exits 2", async () => {
  const r = await runCli(["run", "unknown-fact", "--plain", "--lessons", BROKEN]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /Lesson "unknown-fact" has errors:\n.*lesson\.yaml:11: beats\[2\]\.on: unknown fact "client\.sleep"/,
  );
});

test("without --port a free port is found, even with the tutorial's 12345 taken", async () => {
  const server = net.createServer();
  const taken = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false)); // already taken by someone else: the point stands
    server.listen(12345, "127.0.0.1", () => resolve(true));
  });
  try {
    const r = await runCli(["run", "non-blocking-send", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const port = JSON.parse(r.stdout.split("\n")[0]!).port;
    assert.notEqual(port, 12345);
  } finally {
    if (taken) server.close();
  }
});
