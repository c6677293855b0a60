// The browser-facing socket.io hub (SPEC A1, V4 later): sockets authenticate with the same session
// cookie as pages and join rooms per user and per active tenant; server code emits to rooms.
// Workers get their own namespace with their own credentials (issue: worker fleet).
import { and, eq } from "drizzle-orm";
import type { Server as SocketServer, Socket } from "socket.io";
import type { Db } from "../db/client";
import { cameras } from "../db/schema";
import { cameraRoom, cameraWatchSchema, parseMessage, type DetectionBrowserRequests } from "../protocol";
import { readSessionToken, validateSessionToken, type ValidatedSession } from "./auth/session.server";
import type { BrowserEvents } from "./components/realtime-events";
import type { Logger } from "./logger.server";
import { onAudit } from "./models/audit.server";
import { scopeFor } from "./models/scope.server";

export const tenantRoom = (tenantId: string) => `tenant:${tenantId}`;
export const userRoom = (userId: string) => `user:${userId}`;

/**
 * Every server -> browser event by name (fleet, detection, audit, productivity, camera:status): one map shared with
 * the pages' typed useRealtime, kept in app/components/realtime-events.ts (browser-safe, types only).
 */
export type BrowserServerEvents = BrowserEvents;

/** The session behind a socket's handshake cookie (same cookie as pages), or null. Shared by every namespace. */
export async function authenticateSocketSession(
  db: Db,
  cookieHeader: string | undefined,
  sessionTtlDays: number,
): Promise<ValidatedSession | null> {
  const token = readSessionToken(cookieHeader);
  return token ? validateSessionToken(db, token, sessionTtlDays) : null;
}

export class Realtime {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly io: SocketServer,
    private readonly db: Db,
    private readonly logger: Logger,
    sessionTtlDays: number,
  ) {
    io.use(async (socket, next) => {
      try {
        const auth = await authenticateSocketSession(db, socket.handshake.headers.cookie, sessionTtlDays);
        if (!auth) return next(new Error("unauthorized"));
        socket.data.userId = auth.user.id;
        socket.data.sessionId = auth.session.id;
        if (auth.session.activeTenantId) {
          // Only join a tenant room the user still belongs to.
          await scopeFor(db, auth.user.id, auth.session.activeTenantId);
          socket.data.tenantId = auth.session.activeTenantId;
        }
        next();
      } catch (error) {
        this.logger.warn({ err: error }, "socket rejected");
        next(new Error("unauthorized"));
      }
    });
    io.on("connection", (socket: Socket) => {
      void socket.join(userRoom(socket.data.userId));
      if (socket.data.tenantId) void socket.join(tenantRoom(socket.data.tenantId));
      this.handleCameraWatch(socket);
    });
    this.unsubscribe = onAudit((event) => {
      if (!event.tenantId) return;
      this.emitToTenant(event.tenantId, "audit", {
        time: event.time.toISOString(),
        action: event.action,
        userId: event.userId,
        details: event.details,
      });
    });
  }

  emitToTenant<E extends keyof BrowserServerEvents>(
    tenantId: string,
    event: E,
    ...args: Parameters<BrowserServerEvents[E]>
  ): void {
    this.io.to(tenantRoom(tenantId)).emit(event, ...args);
  }

  /** Tenants with browsers connected to this instance (a shared worker's changes go to each, issue 12). */
  tenantsOnline(): string[] {
    const prefix = tenantRoom("");
    return [...this.io.sockets.adapter.rooms.keys()]
      .filter((r) => r.startsWith(prefix))
      .map((r) => r.slice(prefix.length));
  }

  /** C3: live detections go only to sockets that watched this camera (after a tenant check). Volatile: a late
   * frame of boxes is worth nothing, so a slow browser skips frames instead of queueing them. */
  emitToCamera<E extends keyof BrowserServerEvents>(
    cameraId: string,
    event: E,
    ...args: Parameters<BrowserServerEvents[E]>
  ): void {
    this.io.to(cameraRoom(cameraId)).volatile.emit(event, ...args);
  }

  /** camera:watch / camera:unwatch (protocol/browser.ts): parsed, tenant-checked, always answered when asked. */
  private handleCameraWatch(socket: Socket): void {
    const answer = (ack: unknown, reply: { ok: boolean; error?: string }) => {
      if (typeof ack === "function") (ack as (r: typeof reply) => void)(reply);
    };
    // Untrusted input: the shapes of DetectionBrowserRequests are checked here, not assumed.
    const watch = async (message: unknown, ack: unknown): Promise<void> => {
      const parsed = parseMessage(cameraWatchSchema, message);
      if (!parsed.success) return answer(ack, { ok: false, error: `Invalid camera:watch: ${parsed.message}` });
      const tenantId = socket.data.tenantId as string | undefined;
      if (!tenantId) return answer(ack, { ok: false, error: "No active tenant" });
      try {
        const [camera] = await this.db
          .select({ id: cameras.id })
          .from(cameras)
          .where(and(eq(cameras.id, parsed.data.cameraId), eq(cameras.tenantId, tenantId)));
        if (!camera) return answer(ack, { ok: false, error: "Camera not found" });
        await socket.join(cameraRoom(camera.id));
        answer(ack, { ok: true });
      } catch (error) {
        this.logger.warn({ err: error }, "camera:watch failed");
        answer(ack, { ok: false, error: "Could not watch this camera now" });
      }
    };
    socket.on("camera:watch" satisfies keyof DetectionBrowserRequests, (message: unknown, ack: unknown) => {
      void watch(message, ack);
    });
    socket.on("camera:unwatch" satisfies keyof DetectionBrowserRequests, (message: unknown, ack: unknown) => {
      const parsed = parseMessage(cameraWatchSchema, message);
      if (parsed.success) void socket.leave(cameraRoom(parsed.data.cameraId));
      answer(ack, parsed.success ? { ok: true } : { ok: false, error: `Invalid camera:unwatch: ${parsed.message}` });
    });
  }

  /** Drops a user's live sockets (logout, password change, removal). */
  disconnectUser(userId: string): void {
    this.io.in(userRoom(userId)).disconnectSockets(true);
    this.io.of("/sfu").in(userRoom(userId)).disconnectSockets(true);
  }

  close(): void {
    this.unsubscribe();
  }
}
