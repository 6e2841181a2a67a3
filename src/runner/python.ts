// Finding a Python 3.8+ to run the lesson programs with.
import { spawnSync } from "node:child_process";
import { UserError } from "./errors.ts";

export const MIN_PYTHON: readonly [number, number] = [3, 8];

export interface PythonInfo {
  readonly command: string;
  readonly version: string;
}

// One line of Python that runs under Python 2 too, so an old Python gets a
// clear "too old" rather than a SyntaxError.
const VERSION_CHECK = "import sys; sys.stdout.write('%d.%d.%d' % tuple(sys.version_info[:3]))";
// The modules the tracer needs; a trimmed-down Python may lack one.
const MODULE_CHECK = "import socket, select, fcntl, runpy, json, struct, threading, errno";

export function findPython(command = "python3"): PythonInfo {
  const probe = spawnSync(command, ["-c", VERSION_CHECK], { encoding: "utf8", timeout: 10_000 });
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
  const version = probe.stdout.trim();
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
  const modules = spawnSync(command, ["-c", MODULE_CHECK], { encoding: "utf8", timeout: 10_000 });
  if (modules.status !== 0) {
    const missing = /No module named '([^']+)'/.exec(modules.stderr)?.[1] ?? "a standard module";
    throw new UserError(
      `"${command}" (Python ${version}) lacks ${missing}, which the lesson tracer needs.`,
      "Use a full Python 3 installation (e.g. the python3 package of your OS).",
    );
  }
  return { command, version };
}
