// Start-up budget (DESIGN.md): `socket-lessons --version` and `list`, whole
// process, <= 0.7 x learnyounode's `list` measured in the same run.
//   npm run build && node --import tsx test/bench/startup.bench.ts [--runs N]
// learnyounode is installed from the npm registry into a cache folder the
// first time (it is a yardstick, not a dependency).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 15;
const YARDSTICK = join(tmpdir(), "socket-lessons-bench-learnyounode");

function learnyounode(): string {
  const bin = join(YARDSTICK, "node_modules/learnyounode/bin/learnyounode");
  if (!existsSync(bin)) {
    mkdirSync(YARDSTICK, { recursive: true });
    writeFileSync(join(YARDSTICK, "package.json"), '{"name":"yardstick","version":"1.0.0","private":true}\n');
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "learnyounode"], { cwd: YARDSTICK, stdio: "ignore" });
  }
  return bin;
}

/** Median wall time of a whole process, in ms; commands interleaved so load hits all alike. */
function time(commands: Record<string, string[]>): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      const start = performance.now();
      const r = spawnSync(argv[0]!, argv.slice(1), { stdio: "ignore" });
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
      samples[name]!.push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, xs.sort((a, b) => a - b)[xs.length >> 1]!]));
}

const medians = time({
  "learnyounode list": [process.execPath, learnyounode(), "list"],
  "socket-lessons --version": [CLI, "--version"],
  "socket-lessons list": [CLI, "list"],
  "bare node": [process.execPath, "-e", "0"],
});
const yard = medians["learnyounode list"]!;
console.log(`start-up, whole process, median of ${RUNS} (interleaved):`);
for (const [name, ms] of Object.entries(medians)) {
  const ratio = ms / yard;
  const verdict = name.startsWith("socket-lessons") ? `  (budget 0.7 x: ${ratio <= 0.7 ? "within" : "OVER"})` : "";
  console.log(`  ${name.padEnd(26)} ${ms.toFixed(0).padStart(5)} ms  ${ratio.toFixed(2)} x${verdict}`);
}
