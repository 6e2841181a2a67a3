// A temporary folder for a test file, removed when the test process exits
// (FIFOs, links to system files and hostile names do not stay in /tmp).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", remove);
  // `deno test` ends without Node's exit event; Deno fires unload instead.
  (globalThis as { addEventListener?: (type: string, fn: () => void) => void }).addEventListener?.("unload", remove);
  return dir;
}
