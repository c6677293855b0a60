// Transport adapter for workers (SPEC W1-W8, U4): the socket.io namespace /workers. It only
// authenticates (token on the handshake AND before every event), parses every message with the
// protocol schemas, and hands typed calls to the FleetManager. It never throws at a worker.
import type { Namespace, Server as SocketServer } from "socket.io";
import {
  fail,
  parseMessage,
  PROTOCOL_VERSION,
  WORKER_NAMESPACE,
  workerHandshakeSchema,
  workerMessageSchemas,
  type Ack,
  type ServerToWorkerEvents,
  type WorkerToServerEvents,
} from "../../protocol";
import type { Logger } from "../logger.server";
import type { WorkerMediaBridge } from "../sfu/worker-media.server";
import type { FleetManager } from "./fleet-manager.server";
import {
  fleetHandlers,
  mediaHandlers,
  unavailableDetectionHandlers,
  type DetectionEventName,
  type HandlerContext,
  type WorkerEventName,
  type WorkerHandlers,
  type WorkerMessage,
  type WorkerReply,
  type WorkerSocket,
  type WorkerSocketData,
} from "./worker-handlers.server";
import type { WorkerLink } from "./worker-state";

const EVENT_NAMES = new Set<string>(Object.keys(workerMessageSchemas));

export class WorkerNamespace {
  private readonly nsp: Namespace<WorkerToServerEvents, ServerToWorkerEvents, Record<string, never>, WorkerSocketData>;
  /** One handler per v1: event (STYLE): fleet and media here, detection from app/models/detections. */
  private readonly handlers: WorkerHandlers;
  private readonly media: WorkerMediaBridge | null;
  private readonly onRevoked = (credentialId: string) =>
    this.dropCredential(credentialId, "Worker credential was revoked");
  private closed = false;

  private constructor(
    io: SocketServer,
    private readonly fleet: FleetManager,
    private readonly logger: Logger,
    /** C4: the SFU side of workers pulling their cameras' streams (media events fail without it). */
    media: WorkerMediaBridge | null,
    /** T2, C3: v1:events and v1:detections (answered as unavailable without them). */
    detection: Pick<WorkerHandlers, DetectionEventName> | null,
  ) {
    this.handlers = {
      ...fleetHandlers(fleet),
      ...mediaHandlers(media, (workerId, cameraId) => fleet.assignedCameraTenant(workerId, cameraId)),
      ...(detection ?? unavailableDetectionHandlers),
    };
    this.media = media;
    this.nsp = io.of(WORKER_NAMESPACE) as unknown as typeof this.nsp;
    this.nsp.use((socket, next) => {
      const error = this.authenticate(socket as WorkerSocket);
      if (!error) return next();
      const err = new Error(error.message) as Error & { data?: unknown };
      err.data = error;
      this.logger.warn({ code: error.code, address: socket.handshake.address }, "worker handshake rejected");
      next(err);
    });
    this.nsp.on("connection", (socket) => this.attach(socket as WorkerSocket));
    fleet.on("credential-revoked", this.onRevoked);
    fleet.setWorkerEmitter((socketId, event, ...args) => {
      const socket = this.nsp.sockets.get(socketId);
      if (!socket?.connected) return false;
      socket.emit(event, ...args);
      return true;
    });
  }

  static create(
    io: SocketServer,
    fleet: FleetManager,
    logger: Logger,
    media: WorkerMediaBridge | null = null,
    detection: Pick<WorkerHandlers, DetectionEventName> | null = null,
  ): WorkerNamespace {
    return new WorkerNamespace(io, fleet, logger, media, detection);
  }

  private authenticate(socket: WorkerSocket): { code: string; message: string } | null {
    if (this.closed) return { code: "internal", message: "Server is shutting down" };
    const handshake = parseMessage(workerHandshakeSchema, socket.handshake.auth);
    if (!handshake.success) return { code: "bad_request", message: `Invalid handshake: ${handshake.message}` };
    if (handshake.data.protocolVersion !== PROTOCOL_VERSION) {
      return {
        code: "protocol_version",
        message: `Protocol version ${handshake.data.protocolVersion} is not supported; this server speaks ${PROTOCOL_VERSION}`,
      };
    }
    const verified = this.fleet.credentials.verify(handshake.data.token);
    if (!verified.ok) return { code: verified.code, message: verified.message };
    socket.data.session = {
      socketId: socket.id,
      credentialId: verified.claims.cid,
      tenantId: verified.claims.tid,
      shared: this.fleet.credentials.isShared(verified.claims.cid),
      tokenIssuedMs: verified.claims.iat * 1000,
      tokenExpiresMs: verified.claims.exp * 1000,
      rejected: 0,
    };
    return null;
  }

  private attach(socket: WorkerSocket): void {
    const session = socket.data.session;
    const link: WorkerLink = {
      socketId: socket.id,
      credentialId: session.credentialId,
      connectedAt: Date.now(),
      send: (command) => socket.emit("v1:command", command),
      revoke: (reason) => {
        socket.emit("v1:revoked", { reason });
        socket.disconnect(true);
      },
      remove: (reason) => {
        socket.emit("v1:removed", { reason });
        socket.disconnect(true);
      },
      disconnect: () => socket.disconnect(true),
    };
    const ctx: HandlerContext = {
      session,
      link,
      socket,
      registeredWorkerId: () => {
        const workerId = session.workerId;
        return workerId && this.fleet.workers.get(workerId)?.link?.socketId === socket.id ? workerId : null;
      },
    };
    // Every event: token still valid and credential not revoked, a known event, a valid payload.
    socket.use((packet, next) => {
      const [event, ...args] = packet as [unknown, ...unknown[]];
      const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (reply: Ack<unknown>) => void) : null;
      const reply = (r: Ack<unknown>) => ack?.(r);
      if (!this.fleet.credentials.isActive(session.credentialId)) {
        reply(fail("revoked", "Worker credential was revoked"));
        link.revoke("Worker credential was revoked");
        return;
      }
      if (Date.now() >= session.tokenExpiresMs) {
        reply(fail("token_expired", "Worker token expired: reconnect with a fresh token"));
        socket.disconnect(true);
        return;
      }
      if (typeof event !== "string" || !EVENT_NAMES.has(event))
        return this.reject(socket, reply, `Unknown event ${JSON.stringify(String(event)).slice(0, 80)}`);
      if (!ack) return this.reject(socket, reply, `Event ${event} needs an acknowledgement callback`);
      const name = event as WorkerEventName;
      const parsed = parseMessage(workerMessageSchemas[name], args[0]);
      if (!parsed.success) return this.reject(socket, reply, `Invalid ${event}: ${parsed.message}`);
      // The schema of `name` just parsed the message, so it is that event's message.
      void this.dispatch(name, parsed.data as WorkerMessage<typeof name>, ctx)
        .then(reply)
        .catch((error) => {
          this.logger.error({ err: error, event, workerId: session.workerId }, "worker event failed");
          reply(fail("internal", "The server could not handle this message"));
        });
      void next;
    });
    socket.on("disconnect", (reason) => {
      this.media?.dropSocket(socket.id);
      this.fleet.registry.disconnected(session, reason, this.closed);
    });
  }

  private reject(socket: WorkerSocket, reply: (r: Ack<unknown>) => void, message: string): void {
    const session = socket.data.session;
    session.rejected += 1;
    // Logged, but sampled: a hostile client must not flood the logs.
    if (session.rejected <= 10 || session.rejected % 1000 === 0) {
      this.logger.warn(
        { workerId: session.workerId, socketId: socket.id, rejected: session.rejected },
        `worker message rejected: ${message}`,
      );
    }
    reply(fail("bad_request", message.slice(0, 500)));
  }

  private async dispatch<E extends WorkerEventName>(
    event: E,
    message: WorkerMessage<E>,
    ctx: HandlerContext,
  ): Promise<WorkerReply<E>> {
    const handler: WorkerHandlers[E] = this.handlers[event];
    return handler(message, ctx);
  }

  private dropCredential(credentialId: string, reason: string): void {
    for (const socket of this.nsp.sockets.values()) {
      if (socket.data.session?.credentialId !== credentialId) continue;
      this.logger.warn(
        { workerId: socket.data.session.workerId, credentialId },
        "disconnecting worker: credential revoked",
      );
      socket.emit("v1:revoked", { reason });
      socket.disconnect(true);
    }
  }

  /** Idempotent. Disconnects workers (they reconnect to the next server). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.fleet.off("credential-revoked", this.onRevoked);
    this.fleet.setWorkerEmitter(null);
    this.nsp.disconnectSockets(true);
  }
}
