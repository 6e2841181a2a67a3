// The last word on an error: a user's mistake gets its message and hint
// (exit 2); a bug gets its stack and exit 1. Programs are stopped first.
import { runCleanups } from "../runner/cleanup.ts";
import { UserError } from "../runner/errors.ts";
import { safeText } from "../text/sanitize.ts";

export async function reportFatal(error: unknown): Promise<number> {
  await runCleanups();
  if (error instanceof UserError) {
    // A message may quote a lesson file or an argument: shown as text, never run.
    process.stderr.write(`socket-lessons: ${safeText(error.message)}\n`);
    if (error.hint) process.stderr.write(`  ${safeText(error.hint)}\n`);
    return error.exitCode;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `socket-lessons: unexpected error (a bug; please report it with this text):\n${safeText(text)}\n`,
  );
  return 1;
}
