// Finding a Python 3.8+ to run the lesson programs with.
import { execFile, spawnSync } from "node:child_process";
import { UserError } from "./errors.ts";

export const MIN_PYTHON: readonly [number, number] = [3, 8];
const CHECK_TIMEOUT_MS = 10_000;

export interface PythonInfo {
  readonly command: string;
  readonly version: string;
}

// Runs under Python 2 too, so an old Python gets a clear "too old" rather
// than a SyntaxError. It also names the modules the tracer needs that are
// missing (a trimmed-down Python may lack one), and the real interpreter
// behind any wrapper: a pyenv shim costs ~0.3 s per start, paid by every
// lesson program if we ran them through it.
const CHECK = [
  "import sys",
  "missing = []",
  "for name in ('socket', 'select', 'fcntl', 'runpy', 'json', 'struct', 'threading', 'errno'):",
  "    try: __import__(name)",
  "    except ImportError: missing.append(name)",
  "sys.stdout.write('%d.%d.%d\\n%s\\n%s\\n' % (sys.version_info[0], sys.version_info[1], sys.version_info[2], sys.executable, ','.join(missing)))",
].join("\n");

/** What the check printed, or how it failed to run. */
interface CheckResult {
  readonly error?: Error;
  readonly status: number | null;
  readonly stdout: string | undefined;
}

/** Finds Python, blocking: for one-shot commands (doctor) and scripts. */
export function findPython(command = "python3"): PythonInfo {
  return interpretCheck(command, spawnSync(command, ["-c", CHECK], { encoding: "utf8", timeout: CHECK_TIMEOUT_MS }));
}

/**
 * Finds Python without blocking: a pyenv shim makes the check take ~0.4 s,
 * during which the TUI must go on drawing and reading keys (Ctrl-C too).
 */
export function findPythonAsync(command = "python3"): Promise<PythonInfo> {
  return new Promise((resolve, reject) => {
    execFile(command, ["-c", CHECK], { encoding: "utf8", timeout: CHECK_TIMEOUT_MS }, (error, stdout) => {
      // execFile reports a non-zero exit as an error too (with a numeric code): that one is an answer.
      let failure: Error | undefined;
      if (error?.killed) failure = new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`);
      else if (typeof error?.code === "string") failure = error;
      const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      try {
        resolve(interpretCheck(command, { error: failure, status, stdout }));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** The check's answer as a PythonInfo, or the one sentence (and fix) that says what is wrong. */
function interpretCheck(command: string, probe: CheckResult): PythonInfo {
  if (probe.error) {
    const code = (probe.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new UserError(
        `Python was not found: "${command}" is not a program on this machine.`,
        "Install Python 3.8 or newer (python3), or point to one with --python /path/to/python3.",
      );
    }
    throw new UserError(`Could not run "${command}": ${probe.error.message}`, "Check --python.");
  }
  // Deno's spawnSync answers a program it cannot start (EACCES) with no error, status or output at all.
  if (typeof probe.stdout !== "string") throw new UserError(`Could not run "${command}".`, "Check --python.");
  const [version = "", executable = "", missing = ""] = probe.stdout.split("\n");
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (probe.status !== 0 || !match) {
    throw new UserError(
      `"${command}" did not answer like Python 3 (exit ${probe.status}).`,
      "Point --python at a Python 3.8+ interpreter.",
    );
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new UserError(
      `"${command}" is Python ${version}; the lessons need Python ${MIN_PYTHON.join(".")} or newer.`,
      "Install Python 3 and pass it with --python, e.g. --python python3.",
    );
  }
  if (missing) {
    throw new UserError(
      `"${command}" (Python ${version}) lacks the module${
        missing.includes(",") ? "s" : ""
      } ${missing}, which the lesson tracer needs.`,
      "Use a full Python 3 installation (e.g. the python3 package of your OS).",
    );
  }
  // sys.executable can be empty when Python cannot tell; then keep the command.
  return { command: executable || command, version };
}
