// The command line as a user types it: each mistake is one sentence and the
// usage line of that command (never the whole help), exit 2; with --json
// the error is also one JSON line on stdout. Help works as a command.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ndjson, runCli } from "../helpers/cli.ts";

const RUN_USAGE = "Usage: socket-lessons run <id> --plain|--json [options]   (all options: socket-lessons help run)";

/**
 * One sentence on the first line, the command's usage on the second, nothing
 * else. A sentence that lists what grows as the app does (options, commands)
 * is checked by its shape and the entries it must name.
 */
async function mistake(args: string[], sentence: string | { shape: RegExp; names: string[] }, usage: string) {
  const r = await runCli(args);
  assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
  if (typeof sentence === "string") {
    assert.equal(r.stderr, `socket-lessons: ${sentence}\n  ${usage}\n`, args.join(" "));
    return;
  }
  const [first, second, ...rest] = r.stderr.split("\n");
  assert.match(first!, new RegExp(`^socket-lessons: ${sentence.shape.source}$`), args.join(" "));
  for (const name of sentence.names) assert.ok(first!.includes(` ${name}`), `${first} names ${name}`);
  assert.equal(second, `  ${usage}`);
  assert.deepEqual(rest, [""]);
}

test("ports must be whole decimal numbers from 1 to 65535", async () => {
  for (const port of ["abc", "0x50", "1e3", "80.5", "0", "65536"]) {
    await mistake(
      ["run", "blocking-send", "--plain", "--port", port],
      `--port takes a whole number from 1 to 65535, not "${port}".`,
      RUN_USAGE,
    );
  }
});

test("conflicting, unknown and missing options; extra and missing arguments", async () => {
  await mistake(
    ["run", "blocking-send", "--plain", "--json"],
    "--plain and --json cannot be used together: choose one.",
    RUN_USAGE,
  );
  await mistake(
    ["--plain", "--json"],
    "--plain and --json cannot be used together: choose one.",
    "Usage: socket-lessons [<id>] [options]  |  <command> ...   (all options: socket-lessons help)",
  );
  await mistake(
    ["run", "blocking-send", "--frobnicate"],
    {
      shape: /Unknown option --frobnicate for run \(it takes (--[a-z-]+, )+--[a-z-]+\)\./,
      names: [
        "--plain,",
        "--json,",
        "--python,",
        "--port,",
        "--lessons,",
        "--probe,",
        "--auto,",
        "--present,",
        "--hold,",
        "--set",
      ],
    },
    RUN_USAGE,
  );
  await mistake(["run", "blocking-send", "--jsno"], "Unknown option --jsno for run: did you mean --json?", RUN_USAGE);
  await mistake(["run", "blocking-send", "--port"], "--port needs a value: --port <N>.", RUN_USAGE);
  await mistake(
    ["run", "blocking-send", "--probe", "proc"],
    '--probe takes auto or trace-only, not "proc".',
    RUN_USAGE,
  );
  await mistake(["run"], "run needs a lesson id, e.g. socket-lessons run blocking-send.", RUN_USAGE);
  await mistake(["run", "a", "b"], 'Unexpected "b": run takes only a lesson id.', RUN_USAGE);
  await mistake(
    ["doctor", "extra"],
    'Unexpected "extra": doctor takes no arguments.',
    "Usage: socket-lessons doctor [--json] [--python <path>] [--probe <mode>] [--lessons <dir>]   (all options: socket-lessons help doctor)",
  );
  await mistake(
    ["list", "--port", "80"],
    "Unknown option --port for list (it takes --json, --lessons).",
    "Usage: socket-lessons list [--json] [--lessons <dir>]   (all options: socket-lessons help list)",
  );
});

test("--present is the player's: refused with --plain, --json and --auto, and without a terminal", async () => {
  for (const other of ["--plain", "--json", "--auto"]) {
    await mistake(
      ["run", "blocking-send", "--present", other],
      `--present and ${other} cannot be used together: choose one.`,
      RUN_USAGE,
    );
  }
  await mistake(
    ["blocking-send", "--plain", "--present"],
    "--present and --plain cannot be used together: choose one.",
    "Usage: socket-lessons [<id>] [options]  |  <command> ...   (all options: socket-lessons help)",
  );
  // runCli's stdout is a pipe: the app would narrate as text, nothing of presenter mode.
  const piped = await runCli(["run", "blocking-send", "--present"]);
  assert.equal(piped.code, 2, piped.stderr);
  assert.equal(
    piped.stderr,
    "socket-lessons: --present needs a terminal: presenter mode is a screen of the player.\n" +
      "  Run it in a terminal, or use --plain for text.\n",
  );
  assert.equal(piped.stdout, "");
});

test("with --json a mistake is also one JSON line on stdout", async () => {
  const r = await runCli(["run", "blocking-send", "--json", "--port", "0x50"]);
  assert.equal(r.code, 2);
  assert.deepEqual(ndjson(r.stdout), [
    {
      type: "error",
      message: '--port takes a whole number from 1 to 65535, not "0x50".',
      hint: RUN_USAGE,
      exit: 2,
    },
  ]);
  const list = await runCli(["list", "--json", "--lessons", "/nonexistent"]);
  assert.equal(list.code, 2);
  assert.deepEqual(ndjson(list.stdout).map((l) => [l.type, l.message, l.exit]), [
    ["error", "--lessons /nonexistent does not exist.", 2],
  ]);
});

test("a --lessons folder that does not exist: list and run exit 2 with one sentence", async () => {
  for (const args of [["list", "--lessons", "/nonexistent"], ["run", "--lessons", "/nonexistent", "x"]]) {
    const r = await runCli(args);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "socket-lessons: --lessons /nonexistent does not exist.\n  Point --lessons at a folder of lesson folders.\n",
    );
    assert.equal(r.stdout, "");
  }
});

test("help as a command and as an option: the whole help, or one command's", async () => {
  const all = await runCli(["help"]);
  assert.equal(all.code, 0);
  assert.match(all.stdout, /^Usage: socket-lessons \[<id>\] \[options\]/);
  for (const name of ["list", "run", "replay", "programs", "doctor", "help"]) {
    assert.match(all.stdout, new RegExp(`^  ${name} `, "m"));
  }
  assert.equal((await runCli(["--help"])).stdout, all.stdout);
  assert.equal((await runCli(["-h"])).stdout, all.stdout);

  const run = await runCli(["help", "run"]);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: socket-lessons run <id> --plain\|--json \[options\]/);
  assert.match(run.stdout, /--port <N> +the port the lesson's server listens on/);
  assert.doesNotMatch(run.stdout, /^Commands:/m, "one command's help, not the whole");
  assert.equal((await runCli(["run", "--help"])).stdout, run.stdout);

  await mistake(
    ["help", "nope"],
    {
      shape: /Unknown command "nope": the commands are ([a-z]+, )+[a-z]+ and help\./,
      names: ["list,", "run,", "replay,", "programs,", "doctor"],
    },
    "Usage: socket-lessons help [command]",
  );
});

test("every command of the README still works: --version, -v, list, a lesson id piped, doctor --json", async () => {
  const version = (await runCli(["--version"])).stdout;
  assert.match(version, /^\d+\.\d+\.\d+\n$/);
  assert.equal((await runCli(["-v"])).stdout, version);
  const list = await runCli(["list"]);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /^blocking-send +Blocking send$/m);
  // No terminal: the menu lists the lessons; options before a command are taken too.
  assert.equal((await runCli([])).stdout, list.stdout);
  assert.equal((await runCli(["--lessons", "lessons", "list"])).stdout, list.stdout);
  const doctor = await runCli(["doctor", "--json", "--no-color", "--probe", "trace-only"]);
  assert.equal(doctor.code, 0, doctor.stderr);
  assert.equal(JSON.parse(doctor.stdout).canRun, true);
});
