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

/** A port the kernel just handed out as free (it may be taken again before use: the runner retries). */
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
    if (code === "EADDRINUSE") {
      throw new UserError(
        `Port ${port} on ${LESSON_HOST} is already in use.`,
        "Choose another with --port, or leave --port out and a free one is picked.",
      );
    }
    if (code === "EACCES") {
      throw new UserError(`Port ${port} needs privileges this user does not have.`, "Use a port above 1023.");
    }
    throw error;
  }
}
