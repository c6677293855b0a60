// The worker `npm start` brings up next to the server (issue item 10, SPEC O1): a child process
// running worker/main.ts with its own credential. A fresh credential is issued at every start (the
// secret is never stored in clear) and the previous one revoked. Restarted on crash, rate-limited.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { tenants, workerCredentials } from "../../db/schema";
import type { Logger } from "../logger.server";
import type { CredentialService } from "./credentials.server";

export const LOCAL_CREDENTIAL_NAME = "local (built-in)";
const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export class LocalWorker {
  private child: ChildProcess | null = null;
  private stopped = false;
  private restarts: number[] = [];

  private constructor(
    private readonly options: { serverUrl: string; credential: string; capacity: number; stateDir: string },
    private readonly logger: Logger,
  ) {}

  static async create(
    db: Db,
    credentials: CredentialService,
    options: { serverUrl: string; capacity: number; dataDir: string },
    logger: Logger,
  ): Promise<LocalWorker | null> {
    const [tenant] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, "default"));
    if (!tenant) {
      logger.warn("no default tenant: the local worker is not started");
      return null;
    }
    const stale = await db
      .select({ id: workerCredentials.id })
      .from(workerCredentials)
      .where(
        and(
          eq(workerCredentials.tenantId, tenant.id),
          eq(workerCredentials.name, LOCAL_CREDENTIAL_NAME),
          isNull(workerCredentials.revokedAt),
        ),
      );
    for (const row of stale) await credentials.revoke(tenant.id, row.id);
    // Shared (issue 12, O1): the built-in worker serves every tenant, so a new tenant's cameras are analysed at once.
    const issued = await credentials.issue(tenant.id, LOCAL_CREDENTIAL_NAME, null, { shared: true });
    const worker = new LocalWorker(
      {
        serverUrl: options.serverUrl,
        credential: issued.credential,
        capacity: options.capacity,
        stateDir: path.resolve(options.dataDir, "local-worker"),
      },
      logger,
    );
    worker.spawn();
    return worker;
  }

  private spawn(): void {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "worker/main.ts",
        "--server",
        this.options.serverUrl,
        "--name",
        "local",
        "--capacity",
        String(this.options.capacity),
      ],
      {
        cwd: REPO_ROOT,
        // The credential travels in the environment, not argv, so `ps` does not show it.
        env: {
          ...process.env,
          WORKER_TOKEN: this.options.credential,
          WORKER_STATE_DIR: this.options.stateDir,
          WORKER_ID: "",
          ARGUS_SERVER: "",
        },
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    this.child = child;
    this.logger.info({ pid: child.pid }, "local worker started");
    child.once("exit", (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopped) return;
      const now = Date.now();
      this.restarts = [...this.restarts.filter((t) => now - t < 60_000), now];
      if (this.restarts.length > 5) {
        this.logger.error({ code, signal }, "local worker keeps exiting; not restarting it again");
        return;
      }
      this.logger.warn({ code, signal }, "local worker exited; restarting in 2 s");
      setTimeout(() => !this.stopped && this.spawn(), 2_000).unref();
    });
  }

  /** SIGTERM (the worker deregisters and exits), SIGKILL after `timeoutMs`. Idempotent. */
  async close(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
