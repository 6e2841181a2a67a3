// Engine benchmarks (DESIGN.md budgets), one run, figures printed as measured:
//   npm run build && node --import tsx test/bench/engine.bench.ts [--runs N] [--skip-10x]
// 1. blocking-send through socket-lessons vs the same two programs run by hand
//    with the server's output piped (read as a terminal or the app reads it),
//    whole processes, wall time: budget 1.2 x. For context also: the server's
//    output to /dev/null, and the programs started as typed (\`python3 ...\`).
// 1b. the tracer's cost per call on a hot line (a loop of send() and recv()):
//    the same program timing its own loop, bare and under the tracer.
// 2. the app's peak memory (VmHWM of the node process) on blocking-send and
//    on a variant sending 10 x the data: budget 150 MB, flat.
// 3. one kernel sample's cost with 5,000 idle loopback connections open:
//    budget 2 ms. Shown beside the cost of reading /proc/net/tcp, which the
//    probe avoids because it grows with every socket on the machine.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinuxProbe } from "../../src/probe/linux.ts";
import { findFreePort } from "../../src/runner/ports.ts";
import { findPython } from "../../src/runner/python.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist/cli.js");
const LESSON = join(ROOT, "lessons/blocking-send");
const TRACER = join(ROOT, "src/runner/tracer/tracer.py"); // imported by the socket-sample check
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 3;
const checkStart = performance.now();
const python = findPython().command;
const checkMs = performance.now() - checkStart;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

function listening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return readFileSync("/proc/net/tcp", "utf8").split("\n").some((r) => {
    const c = r.trim().split(/\s+/);
    return c[1]?.endsWith(hex) && c[3] === "0A";
  });
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

/**
 * The two programs by hand, the client started once the server listens. The
 * server's output goes to a pipe this process reads, as a terminal (or the app)
 * reads it; `devNull`: to /dev/null instead.
 */
async function bare(interpreter = python, devNull = false): Promise<number> {
  const port = await findFreePort();
  const start = performance.now();
  const server = spawn(interpreter, ["block_server.py", String(port)], {
    cwd: LESSON,
    stdio: ["ignore", devNull ? "ignore" : "pipe", "inherit"],
  });
  server.stdout?.on("data", () => {}); // read and dropped, as fast as it comes
  const serverDone = exited(server);
  while (!listening(port)) await new Promise((r) => setTimeout(r, 2));
  const client = spawn(interpreter, ["block_client.py", String(port)], { cwd: LESSON, stdio: "inherit" });
  await Promise.all([serverDone, exited(client)]);
  return performance.now() - start;
}

/** socket-lessons run <id> --json, whole process; samples the node process's peak RSS. */
async function app(
  lessonsDir?: string,
  id = "blocking-send",
): Promise<{ ms: number; peakKb: number; code: number | null }> {
  const start = performance.now();
  const extra = lessonsDir ? ["--lessons", lessonsDir] : [];
  const child = spawn(CLI, ["run", id, "--json", ...extra], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  let peakKb = 0;
  const watch = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // exited between ticks
    }
  }, 20);
  const code = await exited(child);
  clearInterval(watch);
  return { ms: performance.now() - start, peakKb, code };
}

async function ratio(): Promise<void> {
  const bareMs: number[] = [];
  const devNullMs: number[] = [];
  const typedMs: number[] = [];
  const appMs: number[] = [];
  const peaks: number[] = [];
  await bare(); // warm the page cache for both sides
  for (let i = 0; i < RUNS; i++) {
    bareMs.push(await bare());
    devNullMs.push(await bare(python, true));
    typedMs.push(await bare("python3"));
    const run = await app();
    if (run.code !== 0) throw new Error(`socket-lessons exited ${run.code}`);
    appMs.push(run.ms);
    peaks.push(run.peakKb);
  }
  const r = median(appMs) / median(bareMs);
  console.log(`blocking-send, ${RUNS} runs each, interleaved (Python: ${python})`);
  console.log(
    `  by hand, output piped:  median ${median(bareMs).toFixed(0)} ms  (${bareMs.map((x) => x.toFixed(0)).join(", ")})`,
  );
  console.log(
    `  through socket-lessons: median ${median(appMs).toFixed(0)} ms  (${appMs.map((x) => x.toFixed(0)).join(", ")})`,
  );
  console.log(`  ratio: ${r.toFixed(2)} x  (budget 1.2 x: ${r <= 1.2 ? "within" : "OVER"})`);
  console.log(
    `  for context, the server's output to /dev/null: median ${median(devNullMs).toFixed(0)} ms; ` +
      `socket-lessons is ${(median(appMs) / median(devNullMs)).toFixed(2)} x that`,
  );
  const typed = median(typedMs);
  console.log(
    `  for context, bare as a learner types it (\`python3 ...\`, through any wrapper): median ${
      typed.toFixed(0)
    } ms; ` +
      `socket-lessons is ${(median(appMs) / typed).toFixed(2)} x that`,
  );
  console.log(
    `  of the app's time, ${
      checkMs.toFixed(0)
    } ms is its one-off check of \`python3\` (run through any wrapper, e.g. a pyenv shim)`,
  );
  console.log(`  app peak memory (VmHWM): ${peaks.map(mb).join(", ")}`);
}

async function tenfold(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sl-bench-"));
  cpSync(LESSON, join(dir, "blocking-send-10x"), { recursive: true });
  const client = join(dir, "blocking-send-10x/block_client.py");
  writeFileSync(client, readFileSync(client, "utf8").replace("* 10 * 1024 * 1024", "* 100 * 1024 * 1024"));
  const lessonFile = join(dir, "blocking-send-10x/lesson.yaml");
  writeFileSync(
    lessonFile,
    readFileSync(lessonFile, "utf8").replace("title: Blocking send", "title: Blocking send x10"),
  );
  const small = await app();
  const big = await app(dir, "blocking-send-10x");
  if (big.code !== 0) throw new Error(`10x run exited ${big.code}`);
  console.log(
    `memory: app peak ${mb(small.peakKb)} on 136,314,880 bytes, ${mb(big.peakKb)} on 1,363,148,800 bytes ` +
      `(budget 150 MB, flat: ${Math.max(small.peakKb, big.peakKb) <= 150 * 1024 ? "within" : "OVER"}; 10x run took ${
        (big.ms / 1000).toFixed(1)
      } s)`,
  );
}

const HOLD_CONNECTIONS = `
import resource, socket, sys, time
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (2 * n + 100, 2 * n + 100))
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1024)
port = srv.getsockname()[1]
held = []
for _ in range(n):
    c = socket.create_connection(("127.0.0.1", port)); s, _ = srv.accept(); held += [c, s]
print("ready", flush=True)
sys.stdin.read()
`;

const SOCKET_SAMPLE_COST = `
import os, socket, sys, time
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import tracer
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname()); s, _ = srv.accept()
c.send(b"x" * 100000)
n = 2000
t = time.perf_counter()
for _ in range(n):
    tracer._sock_sample(c.fileno(), c); tracer._sock_sample(s.fileno(), s)
print((time.perf_counter() - t) / n * 1000)
`;

async function probeCost(connections = 5000): Promise<void> {
  const holder = spawn(python, ["-c", HOLD_CONNECTIONS, String(connections)], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve) => holder.stdout!.once("data", () => resolve()));
  const tcpRows = readFileSync("/proc/net/tcp", "utf8").split("\n").length - 2;
  const probe = createLinuxProbe();
  const pids = [holder.pid!, process.pid];
  const n = 2000;
  let t = performance.now();
  for (let i = 0; i < n; i++) for (const pid of pids) probe.sample(pid);
  const procMs = (performance.now() - t) / n;
  t = performance.now();
  for (let i = 0; i < 50; i++) readFileSync("/proc/net/tcp", "utf8");
  const netTcpMs = (performance.now() - t) / 50;
  const sockMs = Number(spawnSync(python, ["-c", SOCKET_SAMPLE_COST, TRACER], { encoding: "utf8" }).stdout.trim());
  holder.stdin!.end();
  await exited(holder);
  const total = procMs + sockMs;
  console.log(`kernel sample with ${connections} idle loopback connections open (/proc/net/tcp: ${tcpRows} rows):`);
  console.log(`  /proc state+wchan+syscall of 2 programs: ${procMs.toFixed(3)} ms`);
  console.log(`  2 lesson sockets' queues and buffers (tracer: ioctl + getsockopt): ${sockMs.toFixed(3)} ms`);
  console.log(`  one sample in all: ${total.toFixed(3)} ms (budget 2 ms: ${total <= 2 ? "within" : "OVER"})`);
  console.log(
    `  for contrast, reading /proc/net/tcp once: ${netTcpMs.toFixed(2)} ms (grows with every socket; not used)`,
  );
}

const HOT_LOOP = `
import os, socket, sys, time
a, b = socket.socketpair()
n = int(os.environ.get("HOT_CALLS", "200000"))
t = time.perf_counter()
for _ in range(n):
    a.send(b"x")
    b.recv(1)
ns = (time.perf_counter() - t) / (2 * n) * 1e9
with open("per-call-ns.txt", "w") as f:
    f.write("%.1f" % ns)
`;

/** The tracer's cost per call on a hot line: one loop of send()/recv() pairs, timed by the program itself. */
function hotCallCost(): void {
  const dir = mkdtempSync(join(tmpdir(), "sl-hot-"));
  const lesson = join(dir, "hot-loop");
  cpSync(LESSON, lesson, { recursive: true, filter: (src) => !src.endsWith(".py") });
  writeFileSync(join(lesson, "hot_loop.py"), HOT_LOOP);
  writeFileSync(
    join(lesson, "lesson.yaml"),
    "title: Hot loop\nsummary: A loop of send() and recv().\nprograms:\n  - name: loop\n    file: hot_loop.py\n" +
      "beats:\n  - on: program.exited\n    text: done\n",
  );
  const perCall = () => Number(readFileSync(join(lesson, "per-call-ns.txt"), "utf8"));
  const bareNs: number[] = [];
  const tracedNs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    spawnSync(python, ["hot_loop.py"], { cwd: lesson });
    bareNs.push(perCall());
    const run = spawnSync(CLI, ["run", "hot-loop", "--json", "--lessons", dir], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`hot loop run exited ${run.status}: ${run.stderr}`);
    tracedNs.push(perCall());
  }
  const cost = median(tracedNs) - median(bareNs);
  console.log(`a hot line (400,000 calls: send() and recv() of 1 byte on a socketpair), per call, ${RUNS} runs:`);
  console.log(
    `  bare ${median(bareNs).toFixed(0)} ns; under the tracer ${median(tracedNs).toFixed(0)} ns; ` +
      `the tracer's cost: ${cost.toFixed(0)} ns (${(cost / 1000).toFixed(2)} us) a call`,
  );
}

await ratio();
hotCallCost();
if (!args.includes("--skip-10x")) await tenfold();
await probeCost();
