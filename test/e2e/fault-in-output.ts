// Fault injection for test/e2e/crash.test.ts, loaded with --import before the
// app (from source, so this is the very module the app uses): once the
// server has printed 1 MiB, reading its output throws, as a bug in a stream
// callback would.
import { OutputTail } from "../../src/runner/output-tail.ts";

const push = OutputTail.prototype.push;
OutputTail.prototype.push = function (chunk: string, byteLength: number): void {
  if (this.bytes > 1024 * 1024) throw new Error("injected fault: a bug while reading a program's output");
  push.call(this, chunk, byteLength);
};
