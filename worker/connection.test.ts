// WorkerConnection's face galleries (issue 14, D6): against an in-process HTTP + socket.io server that speaks the
// token exchange and register of the worker protocol. A valid "v1:face-gallery" reaches the listeners parsed; a
// malformed one is logged and dropped, and the connection carries on.
import { randomUUID } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { encodeEmbedding, type FaceGallery } from "../protocol/faces";
import { WORKER_NAMESPACE, WORKER_TOKEN_PATH } from "../protocol";
import { WorkerConnection } from "./connection";

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function fakeServer(onRegistered: (emit: (event: string, payload: unknown) => void) => void) {
  const http: HttpServer = createServer((req, res) => {
    if (req.method === "POST" && req.url === WORKER_TOKEN_PATH) {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          token: "token",
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
          tenantId: randomUUID(),
          credentialId: randomUUID(),
          credentialName: "test",
        }),
      );
      return;
    }
    if (!req.url?.startsWith("/socket.io")) res.writeHead(404).end();
  });
  const io = new Server(http, { transports: ["websocket"] });
  io.of(WORKER_NAMESPACE).on("connection", (socket) => {
    socket.on("v1:register", (_message: unknown, ack: (reply: unknown) => void) => {
      ack({
        ok: true,
        data: {
          status: "registered",
          workerId: "w-test",
          serverTime: new Date().toISOString(),
          heartbeatMs: 60_000,
          assignments: [],
        },
      });
      onRegistered((event, payload) => socket.emit(event, payload));
    });
    socket.on("v1:deregister", (_m: unknown, ack: (reply: unknown) => void) =>
      ack({ ok: true, data: { released: 0 } }),
    );
    socket.on("v1:heartbeat", (_m: unknown, ack: (reply: unknown) => void) =>
      ack({ ok: true, data: { serverTime: new Date().toISOString() } }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => io.close(() => resolve())));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function recordingLogger() {
  const warnings: string[] = [];
  const log = () => undefined;
  const logger = {
    warn: (_o: unknown, msg?: string) => void warnings.push(String(msg ?? _o)),
    info: log,
    error: log,
    debug: log,
    child: () => logger,
  };
  return { logger, warnings };
}

describe("WorkerConnection: v1:face-gallery (D6)", () => {
  it("hands a valid gallery on, logs and drops a malformed one, and stays connected", async () => {
    const gallery: FaceGallery = {
      galleryId: randomUUID(),
      revision: 3,
      modelId: "faceres",
      modelVersion: "3.3.6",
      enabled: true,
      people: [{ personId: randomUUID(), name: "Ada", embeddings: [encodeEmbedding(Float32Array.from([1, 0, 0]))] }],
    };
    const server = await fakeServer((emit) => {
      emit("v1:face-gallery", { ...gallery, people: [{ personId: "not-a-uuid", name: "", embeddings: ["!"] }] });
      emit("v1:face-gallery", "garbage");
      emit("v1:face-gallery", gallery);
    });
    const { logger, warnings } = recordingLogger();
    const connection = new WorkerConnection({
      server,
      credential: "argw_test",
      register: () => ({
        id: "w-test",
        name: "w-test",
        host: "test",
        version: "1",
        capacity: 1,
        capabilities: { models: [], codecs: [] },
      }),
      heartbeat: () => ({
        status: "IDLE",
        load: { assigned: 0, capacity: 1 },
        cameras: [],
        cpuPercent: 0,
        memoryMb: 0,
      }),
      reconnectMaxMs: 1_000,
      logger: logger as never,
    });
    closers.push(() => connection.close("test done"));
    const received: FaceGallery[] = [];
    const arrived = new Promise<void>((resolve) =>
      connection.on("face-gallery", (g) => {
        received.push(g);
        resolve();
      }),
    );
    connection.start();
    await arrived;
    expect(received).toEqual([gallery]);
    expect(warnings.filter((w) => w.includes("malformed face gallery"))).toHaveLength(2);
    expect(connection.isRegistered).toBe(true);
  });
});
