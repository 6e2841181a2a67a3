// Records the shipped recordings: one real run of each lesson on this (Linux)
// machine, through the built app, as a learner would run it:
//   npm run build && node --import tsx scripts/record-lessons.ts [lesson-id...]
// writes recordings/<id>.ndjson.gz (shipped in the package: the menu offers
// it where the kernel cannot be observed) and recordings/<id>.witness.ndjson:
// the --json the same live run printed, which test/unit/recordings-shipped
// compares with a replay of the recording. Re-record after changing a lesson,
// the tracer, the probe or the fact engine (the test says so).
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CLI = `${ROOT}dist/cli.js`;

if (process.platform !== "linux") throw new Error("the shipped recordings are recorded on Linux");
const listed = JSON.parse(execFileSync(process.execPath, [CLI, "list", "--json"], { encoding: "utf8" })) as {
  id: string;
}[];
const ids = process.argv.slice(2).length > 0 ? process.argv.slice(2) : listed.map((l) => l.id);

for (const id of ids) {
  const recording = `${ROOT}recordings/${id}.ndjson.gz`;
  const run = spawnSync(process.execPath, [CLI, "run", id, "--json", "--record", recording], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
  });
  if (run.status !== 0) throw new Error(`${id}: exit ${run.status}\n${run.stderr}`);
  const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as { type: string; probe?: unknown });
  const lesson = lines.find((l) => l.type === "lesson") as { probe: { proc: boolean; syscall: boolean } };
  if (!lesson.probe.proc || !lesson.probe.syscall) throw new Error(`${id}: recorded without the kernel probe`);
  writeFileSync(`${ROOT}recordings/${id}.witness.ndjson`, run.stdout);
  console.log(`${id}: ${run.stderr.trim()}`);
}
