import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { StartupError } from "../lifecycle.server";
import { closeHttp, listen } from "./listen.server";

describe("listen / closeHttp (issue 12 §3)", () => {
  it("a busy port is a StartupError that names the port and what to do; the server stays usable", async () => {
    const holder = createServer();
    await listen(holder, 0, "127.0.0.1");
    const port = (holder.address() as { port: number }).port;
    const second = createServer();
    const error = await listen(second, port, "127.0.0.1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe(
      `port 127.0.0.1:${port} is already in use: stop the process holding it or set PORT`,
    );
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
    await listen(second, 0, "127.0.0.1"); // no stale error listener left behind
    await Promise.all([closeHttp(holder, 1000), closeHttp(second, 1000)]);
    expect(holder.listening || second.listening).toBe(false);
  });

  it("closeHttp ends a connection that stays open once the timeout passes", async () => {
    const server = createServer((_req, res) => res.write("streaming")); // never ends the response
    await listen(server, 0, "127.0.0.1");
    const port = (server.address() as { port: number }).port;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    const startedAt = Date.now();
    await closeHttp(server, 200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
    await expect(response.text()).rejects.toThrow();
  });
});
