// A spinner that turns with the session's clock instead of a timer of its
// own: it moves when the session does (kernel samples arrive every 20 ms
// while programs run), so it costs no renders beyond the store's, and it
// stops when nothing runs - a frozen spinner is itself the truth.
import { Text } from "ink";

/** ink-spinner's "dots" frames (cli-spinners), one every FRAME_MS. */
export const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;
export const FRAME_MS = 80;

export function spinnerFrame(now: number): string {
  return SPINNER_FRAMES[Math.floor(Math.max(0, now) / FRAME_MS) % SPINNER_FRAMES.length]!;
}

export function ClockSpinner({ now, color }: { now: number; color?: string | undefined }) {
  return <Text color={color}>{spinnerFrame(now)}</Text>;
}
