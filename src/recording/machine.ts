// What a recording says about the machine it was made on: the platform, the
// kernel's release and the runtime of the app (the Python comes from the
// tracer's hello). Read here, where the app touches the OS.
import { release } from "node:os";
import type { RecordingHeader } from "./format.ts";

export function thisMachine(): Omit<RecordingHeader["machine"], "python"> {
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  return {
    platform: process.platform,
    kernel: release(),
    runtime: deno ? `deno ${deno.version.deno}` : `node ${process.version}`,
  };
}
