// TUI benchmarks (DESIGN.md budgets), figures printed as measured:
//   npm run build && node --import tsx test/bench/tui.bench.ts [--runs N]
// 1. First frame: from spawning `node dist/cli.js` in a pseudo-terminal
//    (120x40) until the terminal shows the whole menu, footer included.
//    Whole process, cold each time: budget 500 ms.
// 2. Key to screen while blocking-send's 136 MB flows: from writing a key
//    to the pty until the terminal shows its effect (? opens the help, any
//    key closes it), sampled while the server's output keeps growing:
//    budget 100 ms. The same keys on the idle menu, for comparison.
// Both include the pty and the headless terminal parsing the output, as a
// user's terminal would: the figures are upper bounds for the app itself.
// 3. Memory of the TUI on blocking-send and on 10 x the data (see below).
import { BLOCKING_SEND_LINE } from "../helpers/lesson-lines.ts";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KEY, Screen } from "../e2e/pty.ts";

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 5;
const FIRST_FRAME_BUDGET_MS = 500;
const KEY_BUDGET_MS = 100;

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const verdict = (x: number, budget: number) => (x <= budget ? "within budget" : "OVER BUDGET");

async function firstFrame(): Promise<number> {
  const screen = new Screen({ cols: 120, rows: 40 });
  await screen.waitFor((t) => t.includes("▸ 1. Blocking send") && t.includes("Ctrl-C quit"), "the menu");
  const took = performance.now() - screen.startedAt;
  screen.press("q");
  await screen.exited;
  return took;
}

/** Presses `key` and returns how long until the screen satisfies `shows`. */
async function keyToScreen(screen: Screen, key: string, shows: (t: string) => boolean, what: string): Promise<number> {
  const start = performance.now();
  screen.press(key);
  await screen.waitFor(shows, what, 5000);
  return performance.now() - start;
}

const printedMiB = (text: string): number => {
  const m = /server · block_server\.py · pid \d+ · printed ([\d.]+) MiB/.exec(text);
  return m ? Number(m[1]) : 0;
};

async function keysDuringFlood(): Promise<{ samples: number[]; idle: number[]; flowed: [number, number] }> {
  const idle: number[] = [];
  const screen = new Screen({ cols: 120, rows: 40 });
  await screen.waitFor((t) => t.includes("▸ 1. Blocking send") && t.includes("Ctrl-C quit"), "the menu");
  // The app looks for Python once, just after its first frame (it blocks for
  // a few hundred ms, by design while the learner reads the menu): not a key's latency.
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < 5; i++) {
    idle.push(await keyToScreen(screen, "?", (t) => t.includes("Keys in the menu"), "help"));
    idle.push(await keyToScreen(screen, "x", (t) => t.includes("▸ 1. Blocking send"), "menu"));
  }
  screen.press(KEY.enter);
  // The flood: the client is inside its one send(), the server prints what it receives.
  await screen.waitFor(
    (t) => t.includes(`in send() · line ${BLOCKING_SEND_LINE}`) && printedMiB(t) > 1,
    "the transfer",
    30_000,
  );
  const before = printedMiB(screen.text());
  const samples: number[] = [];
  let after = before;
  while (!screen.text().includes("■ lesson over") && samples.length < 40) {
    samples.push(await keyToScreen(screen, "?", (t) => t.includes("Keys in a lesson"), "help"));
    samples.push(await keyToScreen(screen, "x", (t) => t.includes("─ narration"), "the player"));
    after = Math.max(after, printedMiB(screen.text()));
    await new Promise((r) => setTimeout(r, 50));
    if (screen.text().includes("■ lesson over")) break;
  }
  screen.press(KEY.ctrlC);
  await screen.exited;
  return { samples, idle, flowed: [before, after] };
}

const frames: number[] = [];
for (let i = 0; i < RUNS; i++) frames.push(await firstFrame());
console.log(`first frame (whole process, pty 120x40), ${RUNS} runs:`);
console.log(
  `  median ${ms(pct(frames, 0.5))}, min ${ms(Math.min(...frames))}, max ${ms(Math.max(...frames))}` +
    ` (budget ${FIRST_FRAME_BUDGET_MS} ms: ${verdict(pct(frames, 0.5), FIRST_FRAME_BUDGET_MS)})`,
);
console.log(`  all: ${frames.map((f) => f.toFixed(0)).join(", ")} ms`);

const { samples, idle, flowed } = await keysDuringFlood();
console.log("key to screen, ? and x alternately:");
console.log(
  `  idle menu: median ${ms(pct(idle, 0.5))}, p95 ${ms(pct(idle, 0.95))}, max ${
    ms(Math.max(...idle))
  } (${idle.length} keys)`,
);
console.log(
  `  during the blocking-send flood (server printed ${flowed[0].toFixed(1)} -> ${flowed[1].toFixed(1)} MiB meanwhile):`,
);
console.log(
  `  median ${ms(pct(samples, 0.5))}, p95 ${ms(pct(samples, 0.95))}, max ${
    ms(Math.max(...samples))
  } (${samples.length} keys)` +
    ` (budget ${KEY_BUDGET_MS} ms: ${verdict(pct(samples, 0.95), KEY_BUDGET_MS)})`,
);

// 3. The TUI's memory during blocking-send, and with 10 x the data: budget
//    150 MB, flat. VmHWM of the app's process (the bin started through its
//    shebang, as npx starts it), sampled until the lesson is over.
async function tuiPeakMb(args: string[]): Promise<{ peakMb: number; seconds: number }> {
  const screen = new Screen({ cols: 120, rows: 40, args: [...args, "--auto"] });
  let peakKb = 0;
  const watch = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${screen.pty.pid}/status`, "utf8"));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // exited between ticks
    }
  }, 50);
  await screen.waitForText("lesson over", 180_000);
  clearInterval(watch);
  const seconds = (performance.now() - screen.startedAt) / 1000;
  screen.press("q"); // back to the menu,
  await screen.waitForText("↑↓/jk move", 10_000);
  screen.press("q"); // and out
  await screen.exited;
  return { peakMb: peakKb / 1024, seconds };
}

const tenfold = mkdtempSync(join(tmpdir(), "sl-tui-10x-"));
cpSync(fileURLToPath(new URL("../../lessons/blocking-send", import.meta.url)), join(tenfold, "blocking-send-10x"), {
  recursive: true,
});
const client = join(tenfold, "blocking-send-10x/block_client.py");
writeFileSync(client, readFileSync(client, "utf8").replace("* 10 * 1024 * 1024", "* 100 * 1024 * 1024"));
const one = await tuiPeakMb(["blocking-send"]);
const ten = await tuiPeakMb(["blocking-send-10x", "--lessons", tenfold]);
const worst = Math.max(one.peakMb, ten.peakMb);
console.log(
  `TUI memory (VmHWM): ${one.peakMb.toFixed(1)} MB on blocking-send (${one.seconds.toFixed(1)} s), ` +
    `${ten.peakMb.toFixed(1)} MB with 10 x the data (${ten.seconds.toFixed(1)} s)` +
    ` (budget 150 MB, flat: ${worst <= 150 ? "within budget" : "OVER BUDGET"})`,
);
