// Programs that misbehave, two apps at once, no terminal, and where the
// lessons listen: the app copes, says what happened, and leaves nothing.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../helpers/temp-dir.ts";
import {
  facts,
  groupMembers,
  type JsonLine,
  ndjson,
  processGone,
  runCli,
  startApp,
  waitAllGone,
} from "../helpers/cli.ts";

const MISBEHAVING = new URL("../fixtures/lessons-misbehaving/", import.meta.url).pathname;
const DATA_BYTES = 136_314_880;

test("a program that ignores SIGTERM is killed after the grace period, and the app says so", async () => {
  const r = await runCli(["run", "ignores-term", "--json", "--lessons", MISBEHAVING]);
  assert.equal(r.code, 0, r.stderr);
  const lines = ndjson(r.stdout);
  const problem = lines.find((l) => l.type === "problem");
  assert.match(String(problem?.message), /^server \(pid \d+\) ignored SIGTERM for 700 ms: sent SIGKILL$/);
  const exited = facts(lines, "program.exited")[0]!;
  assert.deepEqual([exited.signal, exited.stopped_by], ["SIGKILL", "lesson over"]);
  await waitAllGone([facts(lines, "program.started")[0]!.pid as number], lines[0]!.port as number, 500);
});

test("a program's own child process goes with it: the whole process group is stopped", async () => {
  const app = startApp(["run", "has-a-child", "--json", "--lessons", MISBEHAVING]);
  await app.waitFor((l) => l.type === "fact" && l.fact === "listen.returned");
  const [pid] = app.pids();
  assert.equal(groupMembers(pid!).length, 2, "the server and its child share the group while it runs");
  assert.equal((await app.exit).code, 0);
  await waitAllGone(app.pids(), app.port(), 500);
});

test("a program that crashes: the narration shows its stderr, and what could not happen", async () => {
  const r = await runCli(["run", "crashes", "--plain", "--lessons", MISBEHAVING]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /! server exited with code 1\. Its last lines of stderr:\n(!.*\n)*!.*second\.bind/);
  assert.match(r.stdout, /OSError: \[Errno 98\] Address already in use/);
  assert.doesNotMatch(r.stdout, /tracer\.py|runpy/, "the traceback is the program's own");
  assert.match(r.stdout, /Lesson over after .*: client never started: accept\.called did not happen\.\n$/);
});

test("two copies at once: each on its own port, each narrating only its own programs", async () => {
  const [a, b] = await Promise.all([
    runCli(["run", "blocking-send", "--json"]),
    runCli(["run", "blocking-send", "--json"]),
  ]);
  const runs = [a, b].map((r) => {
    assert.equal(r.code, 0, r.stderr);
    return ndjson(r.stdout);
  });
  const ports = runs.map((lines) => lines[0]!.port);
  assert.notEqual(ports[0], ports[1]);
  const pids = runs.map((lines) => new Set(facts(lines, "program.started").map((f) => f.pid)));
  assert.equal([...pids[0]!].filter((p) => pids[1]!.has(p)).length, 0);
  for (const lines of runs) {
    assert.equal(facts(lines, "peer.closed")[0]!.bytes, DATA_BYTES);
    assert.equal(facts(lines, "send.returned")[0]!.bytes, DATA_BYTES);
    assert.equal(facts(lines, "program.started").length, 2, "only its own two programs");
    assert.equal(facts(lines, "program.exited").length, 2);
  }
});

test("no terminal (stdin /dev/null, stdout a pipe, CI=true): lists or narrates in plain text, exit 0", async () => {
  const menu = await runCli([], { CI: "true" });
  assert.equal(menu.code, 0, menu.stderr);
  assert.match(menu.stdout, /^blocking-send +Blocking send\n/);
  assert.doesNotMatch(menu.stderr, /Raw mode/);
  const lesson = await runCli(["non-blocking-send"], { CI: "true" });
  assert.equal(lesson.code, 0, lesson.stderr);
  assert.match(lesson.stdout, /^Non-blocking send\n=+\n/);
  assert.match(lesson.stdout, /Lesson over after/);
});

test("lesson servers listen on 127.0.0.1 only; the trace channel is a socketpair, not a port", async () => {
  const app = startApp(["run", "blocking-send", "--json"]);
  await app.waitFor((l: JsonLine) => l.type === "fact" && l.fact === "send.blocked");
  const hexPort = app.port().toString(16).toUpperCase().padStart(4, "0");
  const rows = readFileSync("/proc/net/tcp", "utf8").split("\n").map((r) => r.trim().split(/\s+/));
  const listeners = rows.filter((c) => c[1]?.endsWith(`:${hexPort}`) && c[3] === "0A").map((c) => c[1]);
  assert.deepEqual(listeners, [`0100007F:${hexPort}`]);
  const tcp6 = readFileSync("/proc/net/tcp6", "utf8");
  assert.doesNotMatch(tcp6, new RegExp(`:${hexPort} [0-9A-F]{32}:0000 0A`));
  for (const pid of app.pids()) {
    // The channel is a unix socketpair with no path, moved off fd 3 to a high
    // descriptor that is closed on exec: nothing else can connect to it, and
    // neither the program's fd 3 nor a child it starts reaches it.
    // (Descriptors the test runner itself passed down may sit up there too: only sockets count.)
    const channels = readdirSync(`/proc/${pid}/fd`).map(Number).filter((fd) =>
      fd >= 200 && readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")
    );
    assert.equal(channels.length, 1, `one high socket in ${pid}: ${channels.join(", ")}`);
    const fd = channels[0]!;
    const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
    assert.ok(inode, `fd ${fd} of ${pid} is a socket`);
    const unixRow = readFileSync("/proc/net/unix", "utf8").split("\n").find((r) => r.trim().split(/\s+/)[6] === inode);
    assert.ok(unixRow, `fd ${fd} is a unix socket`);
    assert.equal(unixRow!.trim().split(/\s+/).length, 7, "with no path: nobody else can connect to it");
    const flags = Number.parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8"))![1]!, 8);
    assert.ok(flags & 0o2000000, "O_CLOEXEC: a program's children do not inherit it");
    const three = readdirSync(`/proc/${pid}/fd`).includes("3") ? readlinkSync(`/proc/${pid}/fd/3`) : "closed";
    assert.notEqual(three, `socket:[${inode}]`, "fd 3 is not the channel");
  }
  await app.exit;
});

test("a Python without a module the tracer needs: one sentence, exit 2", async () => {
  const { mkdtempSync, writeFileSync, chmodSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "sl-py-"));
  const fake = join(dir, "python3");
  // A stand-in answering the check as a Python 3.11 built without fcntl would.
  writeFileSync(fake, "#!/bin/sh\nprintf '3.11.7\\n/opt/python3\\nfcntl\\n'\n");
  chmodSync(fake, 0o755);
  const r = await runCli(["run", "blocking-send", "--json", "--python", fake]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\(Python 3\.11\.7\) lacks the module fcntl, which the lesson tracer needs\./);
});

test("the port taken between the check and the server's bind() (two copies, one --port): the busy-port message, exit 2", async () => {
  const dir = tempDir("socket-lessons-late-bind-");
  const go = join(dir, "go");
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const app = startApp(["run", "binds-late", "--json", "--port", String(port), "--lessons", MISBEHAVING], {
    BIND_WHEN_FILE: go,
  });
  await app.waitFor((l) => l.type === "fact" && l.fact === "program.started");
  // Another program takes the port the app checked, then the lesson's server tries to bind it.
  const other = createServer();
  await new Promise<void>((resolve) => other.listen({ port, host: "127.0.0.1", exclusive: true }, resolve));
  try {
    writeFileSync(go, "");
    const { code } = await app.exit;
    assert.equal(code, 2);
    const error = app.lines.at(-1)!;
    assert.equal(error.type, "error");
    assert.equal(
      error.message,
      `Port ${port} on 127.0.0.1 is already in use: another program took it after it was checked, ` +
        "before the lesson's server could bind it.",
    );
    assert.equal(error.hint, "Choose another with --port, or leave --port out and a free one is picked.");
    assert.ok(app.lines.some((l) => l.type === "fact" && l.fact === "bind.raised" && l.errno === "EADDRINUSE"));
    // The port is the other program's now: the lesson's own processes must be gone.
    assert.ok(app.pids().every((pid) => processGone(pid) && groupMembers(pid).length === 0));
  } finally {
    other.close();
  }
});

test("the trace channel is not fd 3: a line a program writes there becomes no fact (the write fails: EBADF)", async () => {
  const r = await runCli(["run", "forges-fd3", "--json", "--lessons", MISBEHAVING]);
  const lines = ndjson(r.stdout);
  const exited = facts(lines, "program.exited")[0]!;
  assert.equal(exited.code, 0, "the program's write to fd 3 failed (it exits 3 when fd 3 takes the line)");
  assert.deepEqual(facts(lines).filter((f) => String(f.fact).startsWith("recv.")), []);
  assert.ok(!r.stdout.includes("999999999"), "nothing of the forged event anywhere");
  assert.equal(facts(lines, "listen.returned").length, 1, "the program's own calls are still reported");
});

test("a program that closes every descriptor (the channel too): its stderr says so, it stops with code 71, no SIGKILL", async () => {
  const r = await runCli(["run", "closes-fds", "--plain", "--lessons", MISBEHAVING]);
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /! server exited with code 71\. Its last lines of stderr:\n! +socket-lessons: the program closed the trace channel \(fd \d+\), so its calls can no longer be followed; stopping it\.\n/,
  );
  assert.doesNotMatch(r.stdout, /SIGKILL/);
});
