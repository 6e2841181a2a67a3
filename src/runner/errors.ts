// Errors a user can cause and fix (no Python, busy port, unknown lesson).
// The CLI prints the message and the hint and exits with exitCode; anything
// else is a bug and exits 1 with its stack.
export class UserError extends Error {
  readonly exitCode: number;
  readonly hint: string | null;
  constructor(message: string, hint: string | null = null, exitCode = 2) {
    super(message);
    this.name = "UserError";
    this.hint = hint;
    this.exitCode = exitCode;
  }
}
