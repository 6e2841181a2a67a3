// Finding a Python 3.8+ to run the lesson programs with.
import { spawnSync } from "node:child_process";
import { UserError } from "./errors.ts";

export const MIN_PYTHON: readonly [number, number] = [3, 8];

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

export function findPython(command = "python3"): PythonInfo {
  const probe = spawnSync(command, ["-c", CHECK], { encoding: "utf8", timeout: 10_000 });
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
