// What the fleet's parts share (SPEC W1-W11, A3): the owner (fleet-manager.server.ts) implements FleetContext and
// hands it to registration, placement, liveness and views, so each part reads the same in-memory state and runs
// placement changes through the same serial() queue. Types only: no I/O here.
import type { Db } from "../../db/client";
import type { ServerToWorkerEvents } from "../../protocol";
import type { Config } from "../config.server";
import type { Logger } from "../logger.server";
import type { CommandDispatcher } from "./commands.server";
import type { FleetBrowserEvents } from "./views";
import type { CurrentAssignment, WorkerState } from "./worker-state";

export type FleetConfig = Pick<
  Config,
  | "WORKER_HEARTBEAT_MS"
  | "WORKER_MIN_HEARTBEAT_MS"
  | "WORKER_OFFLINE_AFTER_MISSES"
  | "WORKER_DISCONNECT_GRACE_MS"
  | "WORKER_STALE_RETENTION_HOURS"
  | "WORKER_TOKEN_TTL_SECONDS"
  | "WORKER_COMMAND_TIMEOUT_MS"
  | "WORKER_COMMAND_MAX_ATTEMPTS"
  | "AUTO_ASSIGN_CAMERAS"
>;

export interface FleetPublisher {
  emitToTenant<E extends keyof FleetBrowserEvents>(
    tenantId: string,
    event: E,
    ...args: Parameters<FleetBrowserEvents[E]>
  ): void;
  /** Tenants with browsers connected here: a shared worker's changes go to each of them (its own view). */
  tenantsOnline?(): Iterable<string>;
}

export interface WorkerSession {
  socketId: string;
  credentialId: string;
  /** The credential's tenant (for a shared worker: the tenant that issued it). */
  tenantId: string;
  /** The credential is shared: the worker serves every tenant's cameras (issue 12). */
  shared?: boolean;
  workerId?: string;
}

/** Emits a typed server -> worker event on one worker socket (set by the namespace adapter); false if not here. */
export type WorkerEmitter = <E extends keyof ServerToWorkerEvents>(
  socketId: string,
  event: E,
  ...args: Parameters<ServerToWorkerEvents[E]>
) => boolean;

/** Fleet events for in-process listeners (server.ts, the worker namespace). */
export interface FleetInternalEvents {
  "assignment-ended": { workerId: string; cameraId: string };
  "assignment-active": CurrentAssignment;
  "credential-revoked": string;
  worker: WorkerState;
  closed: undefined;
}

export interface FleetContext {
  readonly db: Db;
  readonly config: FleetConfig;
  readonly logger: Logger;
  readonly workers: Map<string, WorkerState>;
  /** cameraId -> its pending or active assignment (mirrors the unique partial index). */
  readonly current: Map<string, CurrentAssignment>;
  readonly commands: CommandDispatcher;
  /** Runs placement-changing work one at a time, in arrival order. */
  serial<T>(fn: () => Promise<T>): Promise<T>;
  isClosed(): boolean;
  emit<E extends keyof FleetInternalEvents>(event: E, payload?: FleetInternalEvents[E]): boolean;
  /** Issue 14 (D6): face galleries to workers (face-galleries.server.ts); absent in unit tests of other parts. */
  readonly galleries?: {
    workerRegistered(worker: WorkerState): Promise<void>;
    ensure(workerId: string, tenantId: string): Promise<void>;
  };
}
