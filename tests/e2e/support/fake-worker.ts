// A fake worker for e2e specs (like tests/integration/detection-ingest.test.ts): a raw socket.io client speaking the
// worker protocol with its own credential, which sends detection events through the real ingestion path (stored,
// aggregated, announced to pages as detections:stored). It is put in maintenance so no camera is assigned to it.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION } from "../../../protocol";
import { apiJson } from "./api";

type Reply = { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } };

export interface Crossing {
  cameraId: string;
  time: Date;
  cls: string;
  direction: "in" | "out";
  lineId?: string;
}

export interface FakeWorker {
  id: string;
  sendCrossings(crossings: Crossing[]): Promise<{ stored: number }>;
  /** Sends ready-made events (e.g. face events) in one batch; the reply's data. */
  sendEvents(events: unknown[]): Promise<{ stored: number; rejected: unknown[] }>;
  close(): Promise<void>;
}

export async function startFakeWorker(page: Page, baseURL: string): Promise<FakeWorker> {
  const id = `e2e-fake-${randomUUID().slice(0, 8)}`;
  const issued = await apiJson<{ id: string; credential: string }>(page, "POST", "/api/v1/workers/credentials", {
    name: id,
  });
  const tokenResponse = await page.request.post("/api/v1/workers/token", {
    headers: { authorization: `Bearer ${issued.credential}` },
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  const socket: Socket = io(`${baseURL}/workers`, {
    auth: { token, protocolVersion: PROTOCOL_VERSION },
    reconnection: false,
    transports: ["websocket"],
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const ask = (event: string, payload: unknown) =>
    socket.timeout(15_000).emitWithAck(event as never, payload as never) as Promise<Reply>;
  socket.on("v1:command", (command: { commandId: string }) => {
    void ask("v1:command-ack", { commandId: command.commandId, ok: true });
  });
  const registered = await ask("v1:register", {
    id,
    name: id,
    host: "e2e",
    version: "1",
    capacity: 1,
    capabilities: { models: [], codecs: [] },
  });
  if (!registered.ok) throw new Error(`fake worker register: ${JSON.stringify(registered.error)}`);
  await apiJson(page, "POST", `/api/v1/workers/${id}/maintenance`, { on: true });

  let lamport = 0;
  return {
    id,
    async sendCrossings(crossings) {
      const events = crossings.map((c, i) => ({
        type: "line_crossing",
        eventId: randomUUID(),
        cameraId: c.cameraId,
        utcTimestamp: c.time.toISOString(),
        localTime: c.time.toISOString().slice(0, 23),
        timezoneOffset: 0,
        driftOffset: 0,
        correctedUtc: c.time.toISOString(),
        lamport: ++lamport,
        modelId: "e2e",
        modelVersion: "1",
        trackId: lamport * 1000 + i,
        class: c.cls,
        confidence: 0.8,
        lineId: c.lineId ?? "gate",
        direction: c.direction,
      }));
      const reply = await ask("v1:events", { batchId: randomUUID(), events });
      if (!reply.ok) throw new Error(`fake worker events: ${JSON.stringify(reply.error)}`);
      const data = reply.data as { stored: number; rejected: unknown[] };
      if (data.rejected.length) throw new Error(`fake worker events rejected: ${JSON.stringify(data.rejected)}`);
      return { stored: data.stored };
    },
    async sendEvents(events) {
      const reply = await ask("v1:events", { batchId: randomUUID(), events });
      if (!reply.ok) throw new Error(`fake worker events: ${JSON.stringify(reply.error)}`);
      return reply.data as { stored: number; rejected: unknown[] };
    },
    async close() {
      socket.disconnect();
    },
  };
}
