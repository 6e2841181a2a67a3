// Ports on 127.0.0.1 for the lesson servers. Loopback only: a lesson never
// listens where the LAN can reach it.
import net from "node:net";
import { UserError } from "./errors.ts";

export const LESSON_HOST = "127.0.0.1";

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port, host: LESSON_HOST, exclusive: true }, () => {
      const address = server.address();
      const chosen = typeof address === "object" && address ? address.port : port;
      server.close(() => resolve(chosen));
    });
  });
}

/**
 * A port the kernel just handed out as free. Another program may take it
 * before the lesson's server binds it; the run then stops and says so
 * (portTakenError), and running the lesson again picks another.
 */
export function findFreePort(): Promise<number> {
  return listenOnce(0);
}

/** The user's --port, checked before any program starts. */
export async function checkPortFree(port: number): Promise<number> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`--port ${port} is not a TCP port (1-65535).`);
  }
  try {
    return await listenOnce(port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw portBusyError(port);
    if (code === "EACCES") {
      throw new UserError(`Port ${port} needs privileges this user does not have.`, "Use a port above 1023.");
    }
    throw error;
  }
}

/** The busy-port message: for --port checked before the lesson, and for a port taken while it starts. */
export function portBusyError(port: number): UserError {
  return new UserError(
    `Port ${port} on ${LESSON_HOST} is already in use.`,
    "Choose another with --port, or leave --port out and a free one is picked.",
  );
}

/**
 * The port was free when checked, and another program took it before the
 * lesson's server could bind it (two copies started with the same --port).
 */
export function portTakenError(port: number, chosen: boolean): UserError {
  return new UserError(
    `Port ${port} on ${LESSON_HOST} is already in use: another program took it after it was checked, ` +
      "before the lesson's server could bind it.",
    chosen
      ? "Choose another with --port, or leave --port out and a free one is picked."
      : "Run the lesson again: a new free port is picked.",
  );
}
