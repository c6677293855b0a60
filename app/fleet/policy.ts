// Pure decisions of the fleet (SPEC W5, W8, W11, A3): no I/O here, so every rule is unit-tested.
import type { WorkerStatus } from "../../protocol";

export interface Candidate {
  id: string;
  capacity: number;
  /** Current (pending + active) assignments. */
  assigned: number;
  /** Connected, not OFFLINE/ERROR/MAINTENANCE. */
  healthy: boolean;
  /** From the shared pool (issue 12): taken only when the tenant's own workers are full. */
  shared?: boolean;
}

/** Statuses that take new cameras. */
export function acceptsWork(status: WorkerStatus, maintenance: boolean, connected: boolean): boolean {
  return connected && !maintenance && status !== "OFFLINE" && status !== "ERROR" && status !== "MAINTENANCE";
}

export function freeSlots(c: Candidate): number {
  return Math.max(0, c.capacity - c.assigned);
}

/**
 * Round-robin by load (A3): the healthy worker with free capacity and the lowest load ratio, the tenant's own
 * workers before the shared pool; ties go to fewer cameras, then the id (stable, so tests and people can predict it).
 */
export function pickLeastLoaded(candidates: Candidate[], exclude: ReadonlySet<string> = new Set()): Candidate | null {
  let best: Candidate | null = null;
  for (const c of candidates) {
    if (!c.healthy || exclude.has(c.id) || freeSlots(c) <= 0) continue;
    if (!best || compareLoad(c, best) < 0) best = c;
  }
  return best;
}

function compareLoad(a: Candidate, b: Candidate): number {
  if (Boolean(a.shared) !== Boolean(b.shared)) return a.shared ? 1 : -1;
  const ratio = a.assigned / a.capacity - b.assigned / b.capacity;
  if (ratio !== 0) return ratio;
  if (a.assigned !== b.assigned) return a.assigned - b.assigned;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Places cameras one by one on the least-loaded worker (W11), counting each placement, so a lost
 * worker's cameras spread over the survivors. Cameras that do not fit map to null (visibly unassigned).
 */
export function planPlacements(
  cameraIds: string[],
  candidates: Candidate[],
  exclude: ReadonlySet<string> = new Set(),
): Map<string, string | null> {
  const pool = candidates.map((c) => ({ ...c }));
  const plan = new Map<string, string | null>();
  for (const cameraId of cameraIds) {
    const target = pickLeastLoaded(pool, exclude);
    plan.set(cameraId, target?.id ?? null);
    if (target) target.assigned += 1;
  }
  return plan;
}

/** W5: a worker is OFFLINE once `misses` heartbeat intervals passed without one. */
export function isOverdue(lastSeenMs: number, heartbeatMs: number, misses: number, nowMs: number): boolean {
  return nowMs - lastSeenMs > heartbeatMs * misses;
}

export interface OfflineInput {
  lastSeenMs: number;
  heartbeatMs: number;
  /** Set for workers loaded at server start: heartbeat detection waits for it (time to reconnect). */
  graceUntilMs?: number;
  /** When its socket closed (the server saw it go); undefined while connected or never seen disconnecting. */
  disconnectedAtMs?: number;
}

/**
 * W5 + W11: why a (not yet OFFLINE) worker is OFFLINE now, or null. A closed socket is known at once, so it
 * counts after a short grace (a quick reconnect keeps the cameras); a silent partition (socket still open,
 * no heartbeats) after `misses` intervals, as before.
 */
export function offlineVerdict(
  w: OfflineInput,
  rules: { misses: number; disconnectGraceMs: number },
  nowMs: number,
): "disconnected" | "missed-heartbeats" | null {
  if (w.disconnectedAtMs !== undefined && nowMs - w.disconnectedAtMs >= rules.disconnectGraceMs) return "disconnected";
  if (isOverdue(Math.max(w.lastSeenMs, w.graceUntilMs ?? 0), w.heartbeatMs, rules.misses, nowMs))
    return "missed-heartbeats";
  return null;
}

export interface RegisterRefusal {
  code: "conflict" | "already_registered";
  message: string;
}

/**
 * W1: who may register `requestedId` on this connection. One connection is one worker: a second id on the same
 * socket is refused (the same id again is fine, idempotent). An id held by another tenant is only "not
 * available": the answer must not tell that it exists elsewhere. A same-tenant id live on another connection
 * is `already_registered` (first connection wins, ADR 0005).
 */
export function registerRefusal(input: {
  requestedId: string;
  tenantId: string;
  socketId: string;
  /** The worker id this connection registered before, if any. */
  connectionWorkerId?: string;
  existing?: { tenantId: string; linkSocketId: string | null; connectedAt?: number };
}): RegisterRefusal | null {
  const { requestedId: id, existing } = input;
  if (input.connectionWorkerId !== undefined && input.connectionWorkerId !== id) {
    return {
      code: "conflict",
      message: `This connection is already registered as worker "${input.connectionWorkerId}": one connection is one worker; open a new connection to register "${id}"`,
    };
  }
  if (existing && existing.tenantId !== input.tenantId)
    return { code: "conflict", message: `Worker id "${id}" is not available: use another --id` };
  if (existing?.linkSocketId && existing.linkSocketId !== input.socketId) {
    const since = existing.connectedAt === undefined ? "" : ` (since ${new Date(existing.connectedAt).toISOString()})`;
    return {
      code: "already_registered",
      message: `Worker id "${id}" is already connected${since}; stop the other process or use another --id`,
    };
  }
  return null;
}

/** The interval a worker heartbeats at: its own wish within bounds, else the server default. */
export function negotiateHeartbeat(
  requested: number | undefined,
  defaults: { defaultMs: number; minMs: number },
): number {
  if (requested === undefined) return defaults.defaultMs;
  return Math.max(defaults.minMs, Math.min(requested, 600_000));
}

/** Token lifetime: the configured TTL, but never shorter than a few heartbeats (renewal rides on them). */
export function tokenTtlSeconds(configuredSeconds: number, heartbeatMs: number): number {
  return Math.max(configuredSeconds, Math.ceil((heartbeatMs * 4) / 1000));
}

/** Renew once past half the token's life (W8). */
export function shouldRenewToken(issuedAtMs: number, expiresAtMs: number, nowMs: number): boolean {
  return nowMs >= issuedAtMs + (expiresAtMs - issuedAtMs) / 2;
}

/** What a command whose ack did not arrive in time becomes (W6). */
export function afterAckTimeout(attempts: number, maxAttempts: number): "resend" | "timeout" {
  return attempts < maxAttempts ? "resend" : "timeout";
}

/** Commands that only make sense while connected: assignments are re-sent through the register reply instead. */
export function isAssignmentCommand(type: string): boolean {
  return type === "ASSIGN_CAMERA" || type === "RELEASE_CAMERA";
}

/**
 * Sweep cadence: fine enough to detect OFFLINE within a fraction of the shortest interval, and a closed
 * socket's grace to within a fraction of it.
 */
export function sweepIntervalMs(shortestHeartbeatMs: number, disconnectGraceMs = Infinity): number {
  return Math.max(50, Math.min(1_000, Math.floor(Math.min(shortestHeartbeatMs, Math.max(disconnectGraceMs, 200)) / 4)));
}
