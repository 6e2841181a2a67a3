// Recordings on disk: written when a recorded run ends (gzipped when the name
// ends in .gz), read for a replay. A recording is a file from outside the
// app: it must be a regular file of bounded size, and whatever is wrong with
// it is the user's to fix (one sentence, exit 2), never a crash.
import { readFileSync, statSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { UserError } from "../runner/errors.ts";
import { formatRecording, parseRecording, type Recording, RecordingError } from "./format.ts";

/**
 * 64 MiB of JSON lines: a lesson that runs into its 2-minute limit records
 * about 10 MB; anything far larger is not a recording of a lesson.
 */
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

/** gzip's first two bytes. */
const GZIP_MAGIC = [0x1f, 0x8b];

export function readRecordingFile(path: string): Recording {
  const stat = statSync(path, { throwIfNoEntry: false });
  const hint = "Make one with: socket-lessons run <id> --record FILE";
  if (stat === undefined) throw new UserError(`There is no recording ${path}: no such file.`, hint);
  if (!stat.isFile()) throw new UserError(`${path} is not a recording: it is not a regular file.`, hint);
  if (stat.size > MAX_RECORDING_BYTES) {
    throw new UserError(`${path} is not a recording of a lesson: it is larger than ${MAX_RECORDING_BYTES} bytes.`);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UserError(`${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  let text: string;
  try {
    const gzipped = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
    text = new TextDecoder().decode(gzipped ? gunzipSync(bytes, { maxOutputLength: MAX_RECORDING_BYTES }) : bytes);
  } catch {
    throw new UserError(`${path} is not a recording: it is gzipped, but does not unpack.`, hint);
  }
  try {
    return parseRecording(text, path);
  } catch (error) {
    if (error instanceof RecordingError) throw new UserError(`${sentence(error.message)}`, hint);
    throw error;
  }
}

/** The recording as the file holds it: gzipped when the name ends in .gz. */
export function recordingBytes(path: string, recording: Recording): Uint8Array {
  const text = formatRecording(recording);
  return path.endsWith(".gz") ? gzipSync(text, { level: 9 }) : new TextEncoder().encode(text);
}

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
