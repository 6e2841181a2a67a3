// The platform the app acts on: process.platform, unless SOCKET_LESSONS_PLATFORM
// names another. Tests use it to see what a learner on macOS or Windows gets
// (the probe off, the menu offering recorded Linux runs) on the Linux machine
// that runs them, without touching Node's own process.platform. Only the
// decisions read it; what a recording says of its machine is always the truth.
export function hostPlatform(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.SOCKET_LESSONS_PLATFORM || process.platform;
}
