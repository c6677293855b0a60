// Listening and closing the HTTP server for server.ts's startup stack (issue 12 §3).
import type { Server as HttpServer } from "node:http";
import { StartupError } from "../lifecycle.server";

/** Resolves once listening; a busy or forbidden port becomes an error that says what to do. */
export function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (error.code === "EADDRINUSE")
        reject(new StartupError(`port ${where} is already in use: stop the process holding it or set PORT`, error));
      else if (error.code === "EACCES")
        reject(new StartupError(`not allowed to listen on ${where}: use a port above 1023 or set PORT`, error));
      else reject(error);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/** Stops accepting connections and resolves once open ones end (idle ones now, the rest after `timeoutMs`). */
export function closeHttp(server: HttpServer, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
