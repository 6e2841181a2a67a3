// The last word on an error: a user's mistake gets its message and hint
// (exit 2); a bug gets its stack and exit 1. Programs are stopped first.
// With --json the error is also one JSON line on stdout, for the program
// reading it: {"type":"error","message":...,"hint":...,"exit":2}.
import { runCleanups } from "../runner/cleanup.ts";
import { UserError } from "../runner/errors.ts";
import { safeJson, safeText } from "../text/sanitize.ts";

export interface FatalOptions {
  readonly json?: boolean;
}

export async function reportFatal(error: unknown, options: FatalOptions = {}): Promise<number> {
  await runCleanups();
  if (error instanceof UserError) {
    // A message may quote a lesson file or an argument: shown as text, never run.
    process.stderr.write(`socket-lessons: ${safeText(error.message)}\n`);
    if (error.hint) process.stderr.write(`  ${safeText(error.hint)}\n`);
    if (options.json) writeJsonError(error.message, error.hint, error.exitCode);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `socket-lessons: unexpected error (a bug; please report it with this text):\n${safeText(text)}\n`,
  );
  if (options.json) {
    const message = error instanceof Error ? error.message : String(error);
    writeJsonError(`unexpected error (a bug): ${message}`, "Please report it with the text on stderr.", 1);
  }
  return 1;
}

function writeJsonError(message: string, hint: string | null, exit: number): void {
  process.stdout.write(`${safeJson(JSON.stringify({ type: "error", message, hint, exit }))}\n`);
}
