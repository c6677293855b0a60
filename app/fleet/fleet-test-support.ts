// Unit-test helpers for the fleet's parts: a worker state and an in-memory FleetContext (no database: the parts'
// pure and in-memory paths only; the database paths are covered by tests/integration/fleet-*.test.ts).
import pino from "pino";
import type { FleetContext, FleetInternalEvents } from "./fleet-context";
import type { CurrentAssignment, WorkerLink, WorkerState } from "./worker-state";

export function workerState(overrides: Partial<WorkerState> = {}): WorkerState {
  return {
    id: "w1",
    tenantId: "t1",
    credentialId: "c1",
    name: "one",
    host: "host",
    version: "1.0.0",
    capacity: 2,
    shared: false,
    status: "ONLINE",
    maintenance: false,
    heartbeatMs: 1000,
    lastSeenMs: 1_000_000,
    registeredAt: new Date(0),
    metrics: null,
    driftMs: null,
    link: null,
    dirty: false,
    ...overrides,
  };
}

export function fakeLink(socketId = "s1"): WorkerLink {
  return { socketId, credentialId: "c1", connectedAt: 0, send() {}, revoke() {}, remove() {}, disconnect() {} };
}

export function assignment(cameraId: string, workerId: string, tenantId = "t1"): CurrentAssignment {
  return { id: `a-${cameraId}`, tenantId, cameraId, workerId, state: "active" };
}

/** A context over in-memory maps; `events` records what the parts emit. */
export function memoryContext(workers: WorkerState[] = [], current: CurrentAssignment[] = []) {
  const events: Array<{ event: keyof FleetInternalEvents; payload: unknown }> = [];
  const ctx: FleetContext = {
    db: undefined as never,
    config: {
      WORKER_HEARTBEAT_MS: 1000,
      WORKER_MIN_HEARTBEAT_MS: 100,
      WORKER_OFFLINE_AFTER_MISSES: 3,
      WORKER_DISCONNECT_GRACE_MS: 1000,
      WORKER_STALE_RETENTION_HOURS: 24,
      WORKER_TOKEN_TTL_SECONDS: 600,
      WORKER_COMMAND_TIMEOUT_MS: 1000,
      WORKER_COMMAND_MAX_ATTEMPTS: 3,
      AUTO_ASSIGN_CAMERAS: true,
    },
    logger: pino({ level: "silent" }),
    workers: new Map(workers.map((w) => [w.id, w])),
    current: new Map(current.map((a) => [a.cameraId, a])),
    commands: undefined as never,
    serial: (fn) => fn(),
    isClosed: () => false,
    emit: (event, payload) => {
      events.push({ event, payload });
      return true;
    },
  };
  return { ctx, events };
}
