// Commands to workers (SPEC W6): persisted, sent in priority order, acknowledged, resent on ack timeout
// (same command id: workers apply each id once), then timed out. Assignment commands never wait
// across a disconnect: the register reply carries the assignments instead (docs/decisions/0005).
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { workerCommands } from "../../db/schema";
import { commandSchema, type Command, type CommandAck, type CommandType } from "../../protocol";
import type { Logger } from "../logger.server";
import { afterAckTimeout } from "./policy";
import { toCommandView, type CommandRow } from "./store.server";
import type { CommandView } from "./views";

export interface CommandLink {
  send(command: Command): void;
}

export type CommandOutcome = { ok: true } | { ok: false; state: "failed" | "timeout" | "cancelled"; error: string };

export interface DispatcherDeps {
  linkFor(workerId: string): CommandLink | null;
  onSettled(command: CommandRow, outcome: CommandOutcome): void;
  onChange(command: CommandView, tenantId: string): void;
}

const ASSIGNMENT_TYPES: CommandType[] = ["ASSIGN_CAMERA", "RELEASE_CAMERA"];

export class CommandDispatcher {
  private readonly inflight = new Map<string, { row: CommandRow; timer: NodeJS.Timeout }>();
  private closed = false;

  private constructor(
    private readonly db: Db,
    private readonly options: { timeoutMs: number; maxAttempts: number },
    private readonly deps: DispatcherDeps,
    private readonly logger: Logger,
  ) {}

  /** After a restart: assignment commands are superseded by register replies; others are re-sent. */
  static async create(
    db: Db,
    options: { timeoutMs: number; maxAttempts: number },
    deps: DispatcherDeps,
    logger: Logger,
  ): Promise<CommandDispatcher> {
    await db
      .update(workerCommands)
      .set({ state: "cancelled", error: "Server restarted: the register reply carries current assignments" })
      .where(and(inArray(workerCommands.state, ["queued", "sent"]), inArray(workerCommands.type, ASSIGNMENT_TYPES)));
    await db.update(workerCommands).set({ state: "queued" }).where(eq(workerCommands.state, "sent"));
    return new CommandDispatcher(db, options, deps, logger);
  }

  async enqueue(input: {
    tenantId: string;
    workerId: string;
    type: CommandType;
    payload: Record<string, unknown>;
    priority?: number;
    assignmentId?: string;
  }): Promise<CommandRow> {
    const [row] = await this.db
      .insert(workerCommands)
      .values({
        tenantId: input.tenantId,
        workerId: input.workerId,
        type: input.type,
        payload: input.payload,
        priority: input.priority ?? 0,
        assignmentId: input.assignmentId ?? null,
        maxAttempts: this.options.maxAttempts,
        timeoutMs: this.options.timeoutMs,
      })
      .returning();
    this.deps.onChange(toCommandView(row), row.tenantId);
    await this.send(row);
    return row;
  }

  /** On (re)register: queued commands go out highest priority first. */
  async deliverQueued(workerId: string): Promise<void> {
    const rows = await this.db
      .select()
      .from(workerCommands)
      .where(and(eq(workerCommands.workerId, workerId), eq(workerCommands.state, "queued")))
      .orderBy(sql`${workerCommands.priority} desc`, workerCommands.createdAt);
    for (const row of rows) if (!this.inflight.has(row.id)) await this.send(row);
  }

  private async send(row: CommandRow): Promise<void> {
    if (this.closed) return;
    const link = this.deps.linkFor(row.workerId);
    if (!link) return; // stays queued until the worker registers
    const parsed = commandSchema.safeParse({ commandId: row.id, type: row.type, payload: row.payload });
    if (!parsed.success) {
      await this.settle(row, { ok: false, state: "failed", error: "Command payload does not match the protocol" });
      return;
    }
    const [updated] = await this.db
      .update(workerCommands)
      .set({ state: "sent", attempts: sql`${workerCommands.attempts} + 1`, sentAt: new Date() })
      .where(eq(workerCommands.id, row.id))
      .returning();
    const timer = setTimeout(() => void this.onTimeout(updated.id), updated.timeoutMs);
    timer.unref();
    this.inflight.set(updated.id, { row: updated, timer });
    this.deps.onChange(toCommandView(updated), updated.tenantId);
    link.send(parsed.data);
  }

  private async onTimeout(commandId: string): Promise<void> {
    const entry = this.inflight.get(commandId);
    if (!entry || this.closed) return;
    this.inflight.delete(commandId);
    if (afterAckTimeout(entry.row.attempts, entry.row.maxAttempts) === "resend") {
      this.logger.warn(
        { commandId, workerId: entry.row.workerId, type: entry.row.type, attempt: entry.row.attempts },
        "command ack timed out; resending",
      );
      await this.send(entry.row);
      return;
    }
    await this.settle(entry.row, {
      ok: false,
      state: "timeout",
      error: `No acknowledgement after ${entry.row.attempts} attempts`,
    });
  }

  /** A worker's ack: only for its own in-flight commands. Returns whether it was recorded. */
  async ack(workerId: string, ack: CommandAck): Promise<boolean> {
    const entry = this.inflight.get(ack.commandId);
    if (!entry || entry.row.workerId !== workerId) return false;
    clearTimeout(entry.timer);
    this.inflight.delete(ack.commandId);
    await this.settle(
      entry.row,
      ack.ok ? { ok: true } : { ok: false, state: "failed", error: ack.error ?? "Worker reported failure" },
    );
    return true;
  }

  /** Drops a worker's pending commands (OFFLINE, removed, re-registered); `types` limits which. */
  async cancelForWorker(
    workerId: string,
    reason: string,
    types: CommandType[] | "assignment" | "all" = "all",
  ): Promise<void> {
    const wanted = types === "all" ? null : types === "assignment" ? ASSIGNMENT_TYPES : types;
    for (const [id, entry] of this.inflight) {
      if (entry.row.workerId !== workerId || (wanted && !wanted.includes(entry.row.type as CommandType))) continue;
      clearTimeout(entry.timer);
      this.inflight.delete(id);
      await this.settle(entry.row, { ok: false, state: "cancelled", error: reason });
    }
    const conditions = [eq(workerCommands.workerId, workerId), eq(workerCommands.state, "queued")];
    if (wanted) conditions.push(inArray(workerCommands.type, wanted));
    await this.db
      .update(workerCommands)
      .set({ state: "cancelled", error: reason })
      .where(and(...conditions));
  }

  private async settle(row: CommandRow, outcome: CommandOutcome): Promise<void> {
    const [updated] = await this.db
      .update(workerCommands)
      .set(
        outcome.ok
          ? { state: "acked", ackedAt: new Date(), error: null }
          : { state: outcome.state, error: outcome.error },
      )
      .where(eq(workerCommands.id, row.id))
      .returning();
    if (!updated) return;
    this.deps.onChange(toCommandView(updated), updated.tenantId);
    this.deps.onSettled(updated, outcome);
  }

  close(): void {
    this.closed = true;
    for (const entry of this.inflight.values()) clearTimeout(entry.timer);
    this.inflight.clear();
  }
}
