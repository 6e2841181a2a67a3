// Every shipped exercise checked for real through dist/cli.js: learners'
// programs that pass and programs that fail each criterion, each verdict
// quoting the numbers this run measured; a crash, a program that never
// connects and one that loops for ever, each told within the time limit,
// exit 1, nothing left running. Two numbers are compared with witnesses the
// tracer does not make: the bytes a passing client's own send() calls
// returned, and sendall()'s time asleep as the program itself read it.
//
// The checks start together, three at a time (the send-it-all runs each
// build and move 130 MiB, and two cores are shared with other test files),
// and each test awaits its own.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { groupMembers, type JsonLine, ndjson, processGone, runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LESSONS = join(ROOT, "lessons");
const FIXTURES = join(ROOT, "test/fixtures/exercises");
const CONFIG = tempDir("socket-lessons-exercises-config-");
const WORK = tempDir("socket-lessons-exercises-work-");
const ENV = { XDG_CONFIG_HOME: CONFIG };

interface Checked {
  readonly code: number | null;
  readonly lines: JsonLine[];
  readonly stderr: string;
  readonly ms: number;
  readonly witness: Record<string, number> | null;
  readonly criteria: Map<string, JsonLine>;
  readonly verdict: JsonLine;
}

const MAX_AT_ONCE = 3;
let running = 0;
const queue: (() => void)[] = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_AT_ONCE) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

let witnesses = 0;

function check(exercise: string, file: string): Promise<Checked> {
  return slot(async () => {
    const witnessFile = join(WORK, `witness-${++witnesses}.json`);
    const started = performance.now();
    const r = await runCli(["check", exercise, file, "--json"], { ...ENV, WITNESS_FILE: witnessFile });
    const ms = performance.now() - started;
    const lines = ndjson(r.stdout);
    let witness: Record<string, number> | null = null;
    try {
      witness = JSON.parse(readFileSync(witnessFile, "utf8"));
    } catch {
      // this program writes none
    }
    const criteria = new Map(lines.filter((l) => l.type === "criterion").map((l) => [l.title as string, l]));
    const verdict = lines.find((l) => l.type === "verdict");
    assert.ok(verdict, `no verdict line: ${r.stdout}\n${r.stderr}`);
    return { code: r.code, lines, stderr: r.stderr, ms, witness, criteria, verdict };
  });
}

function status(c: Checked, title: string): [string, string] {
  const line = c.criteria.get(title);
  assert.ok(line, `no criterion "${title}" in ${JSON.stringify([...c.criteria.keys()])}`);
  return [line.status as string, line.evidence as string];
}

function measured(c: Checked, title: string): number {
  return c.criteria.get(title)!.measured as number;
}

/** Nothing the check started outlives it: each program's pid and its process group. */
function nothingLeft(c: Checked): void {
  const pids = Object.values(c.verdict.pids as Record<string, number>);
  assert.ok(pids.length > 0);
  for (const pid of pids) {
    assert.ok(processGone(pid), `pid ${pid} still running`);
    assert.deepEqual(groupMembers(pid), [], `group ${pid} still has members`);
  }
}

/**
 * The check told its verdict within its time limit: the run, from its start
 * to the verdict, took the limit plus at most the stop (SIGTERM, then SIGKILL
 * after 700 ms) and a second of slack for a loaded machine. (The app's own
 * start, before the run, is not the check's: it is timed by the bench.)
 */
function withinLimit(c: Checked, limitMs: number): void {
  const ms = c.verdict.ms as number;
  assert.ok(ms >= limitMs && ms < limitMs + 700 + 1000, `run took ${ms} ms for a ${limitMs} ms limit`);
}

const groupDigits = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const SEND = join(FIXTURES, "send-it-all");
const ALL = "all bytes delivered";
const NO_WAIT = "never waits inside send()";
const CPU = "CPU time below half the time it could run";

// Started now, all of them; the tests below await each.
const runs = {
  starter: check("send-it-all", join(LESSONS, "non-blocking-send/non_blocking_client.py")),
  sendall: check("send-it-all", join(SEND, "sendall_client.py")),
  busy: check("send-it-all", join(SEND, "busy_retry_client.py")),
  select: check("send-it-all", join(SEND, "select_client.py")),
  connectSolution: check("connect-deadline", join(LESSONS, "cancel-connect/connect_deadline_solution.py")),
  connectStarter: check("connect-deadline", join(LESSONS, "cancel-connect/blocking_connect.py")),
  recvSolution: check("recv-deadline", join(LESSONS, "cancel-connect/recv_deadline_solution.py")),
  recvStarter: check("recv-deadline", join(LESSONS, "cancel-connect/recv_client.py")),
  recvUncaught: check("recv-deadline", join(FIXTURES, "recv-deadline/uncaught_timeout_client.py")),
  selectorsSolution: check("selectors-server", join(LESSONS, "non-blocking-send/selectors_server_solution.py")),
  selectorsStarter: check("selectors-server", join(LESSONS, "non-blocking-send/one_at_a_time_server.py")),
  threaded: check("selectors-server", join(FIXTURES, "selectors-server/threaded_server.py")),
  syntax: check("send-it-all", join(FIXTURES, "misbehaving/syntax_error.py")),
  neverConnects: check("send-it-all", join(FIXTURES, "misbehaving/never_connects.py")),
  loopsForever: check("connect-deadline", join(FIXTURES, "misbehaving/loops_forever.py")),
};

test("send-it-all, the starter: ✗ all bytes delivered, quoting what the server's recv() calls returned", async () => {
  const c = await runs.starter;
  const [s, evidence] = status(c, ALL);
  assert.equal(s, "fail");
  const received = measured(c, ALL);
  assert.ok(received > 0 && received < 136_314_880 / 4, `a buffer's worth: ${received}`);
  assert.equal(evidence, `${groupDigits(received)} bytes of 136,314,880 bytes`);
  assert.equal(c.verdict.passed, false);
  assert.equal(c.code, 1);
  nothingLeft(c);
});

test("send-it-all with sendall(): every byte, but ✗ it waits inside send(), asleep as long as it says itself", async () => {
  const c = await runs.sendall;
  assert.equal(status(c, ALL)[0], "pass");
  const [s, evidence] = status(c, NO_WAIT);
  assert.equal(s, "fail");
  const asleep = measured(c, NO_WAIT);
  assert.equal(evidence, `1 send call(s), asleep in them for ${groupDigits(asleep)} ms`);
  // The witness: the program's own reading of the same kernel clocks around its sendall().
  assert.ok(c.witness, "the program wrote its witness");
  const w = c.witness as { asleep_ms: number; wall_ms: number };
  // Not more than the program's own reading, to the clocks' grain: the tracer reads the same clocks inside the
  // program's window, a few syscalls apart, and the CPU and run-queue times move by a few ms between (2.1 ms once).
  const grain = Math.max(5, w.asleep_ms * 0.01);
  assert.ok(asleep <= w.asleep_ms + grain, `tracer ${asleep} ms <= the program's own ${w.asleep_ms} ms`);
  assert.ok(asleep >= w.asleep_ms - Math.max(20, w.asleep_ms * 0.05), `within 5 %: ${asleep} / ${w.asleep_ms}`);
  assert.ok(asleep > w.wall_ms / 2, `asleep for most of sendall(): ${asleep} of ${w.wall_ms} ms`);
  assert.equal(c.code, 1);
  nothingLeft(c);
});

test("send-it-all with a busy retry loop: every byte, never asleep in send(), ✗ on the CPU", async () => {
  const c = await runs.busy;
  assert.equal(status(c, ALL)[0], "pass");
  assert.equal(status(c, NO_WAIT)[0], "pass");
  const [s, evidence] = status(c, CPU);
  assert.equal(s, "fail");
  assert.match(evidence, /^CPU time [\d,]+ ms of [\d,]+ ms \([\d,]+ ms of it waiting for a CPU\)$/);
  const cpu = c.criteria.get(CPU)!;
  assert.ok((cpu.measured as number) >= (cpu.expected as number));
  assert.match(cpu.hint as string, /BlockingIOError/, "its own hint");
  nothingLeft(c);
});

test("send-it-all with a select() loop passes; its own count of bytes sent is the verdict's", async () => {
  const c = await runs.select;
  assert.deepEqual([...c.criteria.values()].map((l) => l.status), ["pass", "pass", "pass"], JSON.stringify(c.lines));
  assert.equal(c.witness!.sent, 136_314_880);
  assert.equal(measured(c, ALL), c.witness!.sent, "the server's recv() calls got what the client's send() calls took");
  assert.equal(status(c, ALL)[1], "136,314,880 bytes of 136,314,880 bytes");
  assert.equal(c.verdict.passed, true);
  assert.equal(c.code, 0);
  nothingLeft(c);
});

test("connect-deadline: settimeout(2) passes at 2 s; the starter is told at the time limit, inside connect()", async () => {
  const pass = await runs.connectSolution;
  const [s, evidence] = status(pass, "gives up on connect() after 2 s (± 0.5 s)");
  assert.equal(s, "pass");
  const ms = measured(pass, "gives up on connect() after 2 s (± 0.5 s)");
  assert.ok(ms >= 1500 && ms <= 2500);
  assert.match(evidence, new RegExp(`^connect\\(\\) raised (TimeoutError|timeout) after ${groupDigits(ms)} ms$`));
  assert.match(status(pass, "the server's accept queue was full meanwhile")[1], /^1 of 1 places taken$/);
  assert.equal(pass.code, 0);
  nothingLeft(pass);

  const hung = await runs.connectStarter;
  assert.equal(hung.code, 1);
  assert.equal((hung.verdict.program as JsonLine).how, "timed-out");
  assert.match(
    ((hung.verdict.program as JsonLine).said as string[])[0]!,
    /^blocking was still running at the check's time limit \(6 s\) and was stopped, inside connect\(\) on line 14 for [\d,]+ ms\.$/,
  );
  assert.equal(
    status(hung, "gives up on connect() after 2 s (± 0.5 s)")[1],
    "no connect.raised from blocking happened in this run",
  );
  withinLimit(hung, 6000);
  nothingLeft(hung);
});

test("recv-deadline: settimeout(1) and a caught timeout pass; no deadline, or an uncaught one, fail", async () => {
  const pass = await runs.recvSolution;
  assert.equal(pass.verdict.passed, true, JSON.stringify(pass.lines));
  const ms = measured(pass, "recv() gives up after 1 s of silence (± 0.3 s)");
  assert.match(
    status(pass, "recv() gives up after 1 s of silence (± 0.3 s)")[1],
    new RegExp(`^recv\\(\\) raised (TimeoutError|timeout) after ${groupDigits(ms)} ms, the socket's timeout 1 s$`),
  );
  const starter = await runs.recvStarter;
  assert.deepEqual(status(starter, "recv() gives up after 1 s of silence (± 0.3 s)"), [
    "fail",
    'no recv.raised from client with error "timeout" happened in this run',
  ]);
  const uncaught = await runs.recvUncaught;
  assert.equal(status(uncaught, "recv() gives up after 1 s of silence (± 0.3 s)")[0], "pass");
  assert.deepEqual(status(uncaught, "it handles the timeout and ends by itself"), ["fail", "exit code 1"]);
  assert.match(((uncaught.verdict.program as JsonLine).said as string[]).join("\n"), /TimeoutError|timed out/);
  for (const c of [pass, starter, uncaught]) nothingLeft(c);
});

test("selectors-server: the selectors solution passes; one at a time, or a thread each, fail", async () => {
  const pass = await runs.selectorsSolution;
  assert.equal(pass.verdict.passed, true, JSON.stringify(pass.lines));
  const starter = await runs.selectorsStarter;
  assert.equal(status(starter, "all three clients served")[1], "3 of 3 clients got both echoes back");
  const [s, evidence] = status(starter, "no client waits for another's whole exchange");
  assert.equal(s, "fail");
  // Each client thinks for a second: one served after another waited at least that.
  assert.ok(measured(starter, "no client waits for another's whole exchange") >= 1000, evidence);
  assert.match(evidence, /^the longest wait for a first echo: [\d,]+ ms \(client-[123]\)$/);
  assert.deepEqual(status(starter, "the server asleep in the selector between events"), [
    "fail",
    "asleep 0 ms in 0 calls that wait for events",
  ]);
  const threaded = await runs.threaded;
  assert.equal(status(threaded, "no client waits for another's whole exchange")[0], "pass");
  assert.equal(status(threaded, "the server asleep in the selector between events")[0], "fail");
  for (const c of [pass, starter, threaded]) nothingLeft(c);
});

test("a syntax error, a client that never connects, a loop for ever: a verdict within the limit, exit 1", async () => {
  const syntax = await runs.syntax;
  const said = ((syntax.verdict.program as JsonLine).said as string[]).join("\n");
  assert.match(said, /^client failed: exit code 1 after [\d,.]+ ms\.\nIts last lines of stderr:\n/);
  assert.match(said, /SyntaxError/);
  assert.equal(syntax.code, 1);
  assert.ok(
    (syntax.verdict.ms as number) < 10_000,
    `told in seconds, not at send-it-all's 40 s limit: ${syntax.verdict.ms}`,
  );

  const never = await runs.neverConnects;
  assert.equal((never.verdict.program as JsonLine).connected, false);
  assert.equal(status(never, ALL)[1], 'no transfer.ended with from "client" happened in this run');
  assert.equal(never.code, 1);
  assert.match(never.verdict.end as string, /^client had exited; what still ran 3000 ms later was stopped$/);

  const forever = await runs.loopsForever;
  assert.equal((forever.verdict.program as JsonLine).how, "timed-out");
  assert.equal(forever.code, 1);
  withinLimit(forever, 6000);
  for (const c of [syntax, never, forever]) nothingLeft(c);
});

test("a pass is saved in the progress file; the solution is shown after it, not before", async () => {
  await runs.recvSolution;
  const progress = JSON.parse(readFileSync(join(CONFIG, "socket-lessons", "progress.json"), "utf8"));
  assert.match(progress.exercises["recv-deadline"].passed, /^\d{4}-\d\d-\d\dT/);
  const shown = await runCli(["exercise", "recv-deadline", "--solution"], ENV);
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /sock\.settimeout\(1\)/);
  const other = tempDir("socket-lessons-exercises-fresh-");
  const refused = await runCli(["exercise", "recv-deadline", "--solution"], { XDG_CONFIG_HOME: other });
  assert.equal(refused.code, 2);
  assert.equal(
    refused.stderr,
    "socket-lessons: The reference solution of recv-deadline is shown once you have passed it.\n" +
      "  Check your program: socket-lessons check recv-deadline\n",
  );
});

test("exercise puts the starter in the learner's folder and never overwrites their work without --force", async () => {
  const cwd = tempDir("socket-lessons-exercises-cwd-");
  const run = (args: string[]) => runCliIn(cwd, args);
  const first = await run(["exercise", "recv-deadline"]);
  assert.equal(first.code, 0, first.stderr);
  const file = join(cwd, "socket-lessons-work/recv-deadline/recv_client.py");
  assert.equal(readFileSync(file, "utf8"), readFileSync(join(LESSONS, "cancel-connect/recv_client.py"), "utf8"));
  assert.match(first.stdout, /Your file: socket-lessons-work\/recv-deadline\/recv_client\.py/);
  writeFileSync(file, "# my work\n");
  const again = await run(["exercise", "recv-deadline"]);
  assert.equal(again.code, 2);
  assert.equal(
    again.stderr,
    "socket-lessons: socket-lessons-work/recv-deadline/recv_client.py already exists, and it is not the starter: " +
      "your work is kept.\n  To start afresh: socket-lessons exercise recv-deadline --force (it replaces the file).\n",
  );
  assert.equal(readFileSync(file, "utf8"), "# my work\n");
  const forced = await run(["exercise", "recv-deadline", "--force"]);
  assert.equal(forced.code, 0);
  assert.notEqual(readFileSync(file, "utf8"), "# my work\n");
});

test("hints one at a time, remembered; the user's mistakes are one sentence and exit 2", async () => {
  const env = { XDG_CONFIG_HOME: tempDir("socket-lessons-exercises-hints-") };
  const one = await runCli(["check", "send-it-all", "--hint"], env);
  assert.match(one.stdout, /^Hint 1 of 3: Use what send\(\) returns/);
  assert.doesNotMatch(one.stdout, /Hint 2/);
  const two = await runCli(["check", "send-it-all", "--hint", "--json"], env);
  const hints = ndjson(two.stdout);
  assert.deepEqual(hints.map((h) => [h.index, h.new]), [[1, false], [2, true]]);
  await runCli(["check", "send-it-all", "--hint"], env);
  const last = await runCli(["check", "send-it-all", "--hint"], env);
  assert.match(last.stdout, /Hint 3 of 3: .*\nThat was the last hint\.\n$/s);
  const progress = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME, "socket-lessons", "progress.json"), "utf8"));
  assert.equal(progress.exercises["send-it-all"].hints, 3);

  const cwd = tempDir("socket-lessons-exercises-mistakes-");
  mkdirSync(join(cwd, "a-folder"));
  for (
    const [args, message] of [
      [["check", "send-it-al"], 'Unknown exercise "send-it-al" (did you mean "send-it-all"?). Exercises: '],
      [["check", "send-it-all"], "socket-lessons-work/send-it-all/non_blocking_client.py does not exist."],
      [["check", "send-it-all", "nope.py"], "nope.py does not exist."],
      [["check", "send-it-all", "a-folder"], "a-folder is a folder: check runs a Python program file."],
      [
        ["check", "send-it-all", "x.py", "--hint"],
        '--hint reveals the next hint and checks no file: leave out "x.py".',
      ],
      [["check", "send-it-all", "--hint", "--watch"], "--hint and --watch cannot be used together: choose one."],
      [["exercise", "nope"], 'Unknown exercise "nope". Exercises: '],
    ] as const
  ) {
    const r = await runCliIn(cwd, [...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.ok(r.stderr.startsWith(`socket-lessons: ${message}`), `${args.join(" ")}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
  const json = await runCliIn(cwd, ["check", "send-it-all", "nope.py", "--json"]);
  assert.deepEqual(ndjson(json.stdout).map((l) => [l.type, l.message, l.exit]), [[
    "error",
    "nope.py does not exist.",
    2,
  ]]);
});

async function runCliIn(cwd: string, args: string[]) {
  const { spawn } = await import("node:child_process");
  const cli = join(ROOT, "dist/cli.js");
  return await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: { ...process.env, XDG_CONFIG_HOME: CONFIG },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
