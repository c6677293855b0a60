import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { Db } from "../../../db/client";
import type { HandlerContext } from "../../fleet/worker-handlers.server";
import type { Logger } from "../../logger.server";
import { detectionHandlers, type DetectionPublisher } from "./worker-handlers.server";

const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn(), debug: vi.fn() } as unknown as Logger;
const cameraId = randomUUID();

function setup(options: { registered?: boolean; assigned?: boolean; db?: Partial<Db> } = {}) {
  const publisher = { emitToTenant: vi.fn(), emitToCamera: vi.fn() } satisfies DetectionPublisher;
  const handlers = detectionHandlers({
    db: (options.db ?? {}) as Db,
    isAssigned: () => options.assigned ?? true,
    publisher,
    logger,
  });
  const ctx = {
    session: {
      tenantId: randomUUID(),
      socketId: "s",
      credentialId: "c",
      tokenIssuedMs: 0,
      tokenExpiresMs: 0,
      rejected: 0,
    },
    registeredWorkerId: () => ((options.registered ?? true) ? "w1" : null),
  } as unknown as HandlerContext;
  return { handlers, publisher, ctx };
}

const frame = {
  cameraId,
  seq: 1,
  at: new Date().toISOString(),
  objects: [],
  mode: "active" as const,
  warning: null,
  detectorMs: null,
};

describe("detection worker handlers (T2, C3)", () => {
  it("answers unavailable when the database fails, so the worker keeps the batch and retries", async () => {
    const db = {
      execute: () => {
        throw new Error("connection lost");
      },
    } as unknown as Db;
    const { handlers, publisher, ctx } = setup({ db });
    const event = {
      type: "zone_enter",
      eventId: randomUUID(),
      cameraId,
      utcTimestamp: new Date().toISOString(),
      localTime: "2026-12-01T10:00:00",
      timezoneOffset: 0,
      driftOffset: 0,
      correctedUtc: new Date().toISOString(),
      lamport: 1,
      modelId: "m",
      modelVersion: "1",
      trackId: 1,
      class: "person",
      confidence: 0.5,
      zoneId: "z",
    };
    const reply = await handlers["v1:events"]({ batchId: randomUUID(), events: [event] }, ctx);
    expect(reply).toEqual({ ok: false, error: { code: "unavailable", message: expect.stringMatching(/retry/) } });
    expect(publisher.emitToTenant).not.toHaveBeenCalled();
  });

  it("refuses unregistered connections", async () => {
    const { handlers, ctx } = setup({ registered: false });
    expect((await handlers["v1:events"]({ batchId: randomUUID(), events: [{}] }, ctx)).ok).toBe(false);
    expect(await handlers["v1:detections"](frame, ctx)).toMatchObject({ error: { code: "not_registered" } });
  });

  it("relays live boxes for assigned cameras only, to the camera's room", async () => {
    const refused = setup({ assigned: false });
    expect(await refused.handlers["v1:detections"](frame, refused.ctx)).toMatchObject({ error: { code: "forbidden" } });
    expect(refused.publisher.emitToCamera).not.toHaveBeenCalled();
    const { handlers, publisher, ctx } = setup();
    expect(await handlers["v1:detections"](frame, ctx)).toEqual({ ok: true, data: {} });
    expect(publisher.emitToCamera).toHaveBeenCalledWith(cameraId, "detections:live", frame);
  });
});
