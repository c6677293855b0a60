// The Argus server process: one start and one stop that read as the whole topology (issue 12 §3).
// Start order: config -> logger -> database (migrate) -> bootstrap admin -> background jobs -> HTTP server +
// socket.io -> realtime -> productivity -> fleet -> SFU -> detection -> /workers -> routes -> listen -> local
// worker. Each owner is started through a StartupStack (app/lifecycle.server.ts), so stop() is the exact
// reverse by construction and a start that fails halfway closes what it had started before the process exits.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { Server as SocketServer } from "socket.io";
import { authMiddleware, isSecureRequest, originCheck } from "./app/http/auth-middleware.server";
import { boundedBody, declaredLengthLimit } from "./app/http/body-limit.server";
import { remixHandler } from "./app/http/remix-handler.server";
import { withRouteBoundary } from "./app/http/route-boundary.server";
import { noStoreByDefault, requestIdentity, securityHeaders, SOCKET_HEADERS } from "./app/http/security-headers.server";
import { opsRouter } from "./app/http/ops.server";
import { RateLimiter } from "./app/auth/rate-limit.server";
import { deleteExpiredSessions } from "./app/auth/session.server";
import { ConfigError, loadConfig, type Config } from "./app/config.server";
import { createLogger, type Logger } from "./app/logger.server";
import { createMetrics, routeGroup } from "./app/metrics.server";
import { bootstrapAdmin } from "./app/models/bootstrap.server";
import { BUILTIN_DEFAULT_MODEL_ID, loadBuiltinModels } from "./app/models/detections/builtin.server";
import { createDetectionMetrics } from "./app/models/detections/metrics.server";
import { MODEL_UPLOAD_PATH, registerBuiltinModels, setDefaultModelId } from "./app/models/detections/models.server";
import { detectionHandlers } from "./app/models/detections/worker-handlers.server";
import { withWorkstationEvents } from "./app/models/productivity/camera-source.server";
import { withFaceEvents } from "./app/models/staff/face-events.server";
import { DEFAULT_FACE_EVENT_RETENTION_DAYS } from "./app/models/staff/settings.server";
import { Realtime } from "./app/realtime.server";
import { ProductivityScheduler } from "./app/models/productivity/scheduler.server"; // P5 drift checks, P3 live events
import { FleetManager } from "./app/fleet/fleet-manager.server";
import { LocalWorker } from "./app/fleet/local-worker.server";
import { WorkerNamespace } from "./app/fleet/worker-namespace.server";
import { closeHttp, listen } from "./app/http/listen.server";
import { StartupError, StartupStack } from "./app/lifecycle.server";
import { Sfu } from "./app/sfu/sfu.server";
import type { AppServices } from "./app/services.server";
import { openDatabase } from "./db/client";
import {
  detectionRetentionJobs,
  detectJobsMode,
  faceEventRetentionSweep,
  retentionJobs,
  TimescaleJobs,
} from "./db/timescale/jobs";

const BUILD_PATH = path.resolve(import.meta.dirname, "build/index.js");
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: { signal?: AbortSignal } = {},
): Promise<RunningServer> {
  const stack = new StartupStack(logger.child({ module: "lifecycle" }), options.signal);
  try {
    return await startOwners(config, logger, stack);
  } catch (error) {
    // A start that fails halfway (a busy port, a broken build, a database error) undoes what it started,
    // newest first, so the process exits with no mediasoup worker or ffmpeg left and the database closed.
    logger.error({ started: stack.started }, "startup failed; closing what was started");
    await stack.close().catch(() => undefined); // each failed step was logged by the stack
    throw error;
  }
}

/** Every owner the server runs, started in this order through `stack`, which stops them in exact reverse. */
async function startOwners(config: Config, logger: Logger, stack: StartupStack): Promise<RunningServer> {
  const startedAt = performance.now();
  if (!existsSync(BUILD_PATH)) throw new Error(`Remix build missing at ${BUILD_PATH}: run "npm run build" first`);

  const database = await stack.start(
    "database",
    () =>
      openDatabase({
        databaseUrl: config.DATABASE_URL,
        dataDir: config.DATA_DIR,
        poolMax: config.DATABASE_POOL_MAX,
        onNotice: (message) => logger.debug({ module: "db" }, message),
      }),
    (db) => db.close(),
  );
  await database.migrate();
  logger.info(
    { database: database.kind, dataDir: database.kind === "embedded" ? path.resolve(config.DATA_DIR) : undefined },
    "database ready",
  );

  // D1: built-in detection models from the setup cache; without them the server runs and detection stays off.
  const modelsLogger = logger.child({ module: "detection-models" });
  const builtins = loadBuiltinModels((obj, msg) => modelsLogger.warn(obj, msg));
  setDefaultModelId(config.DETECTION_DEFAULT_MODEL ?? BUILTIN_DEFAULT_MODEL_ID);
  await registerBuiltinModels(database.db, builtins, modelsLogger);

  const bootstrap = await bootstrapAdmin(database.db, {
    email: config.ADMIN_EMAIL,
    password: config.ADMIN_PASSWORD,
    logger: logger.child({ module: "bootstrap" }),
    demoCamera: config.DEMO_CAMERA ? { assign: config.AUTO_ASSIGN_CAMERAS } : undefined,
    productivitySample: config.PRODUCTIVITY_SAMPLE_DATA,
  });

  const jobsLogger = logger.child({ module: "timescale-jobs" });
  const jobs = await stack.start(
    "timescale jobs",
    async () =>
      TimescaleJobs.create(
        database,
        await detectJobsMode(database, config.DB_JOBS),
        jobsLogger,
        config.DB_JOBS_INTERVAL_SECONDS * 1000,
        [
          ...retentionJobs,
          ...detectionRetentionJobs(config.DETECTION_RAW_RETENTION_DAYS, config.DETECTION_AGGREGATE_RETENTION_DAYS),
        ],
        // Issue 14: face events by each tenant's own retention (face_settings), 30 days without settings.
        [faceEventRetentionSweep(DEFAULT_FACE_EVENT_RETENTION_DAYS)],
      ),
    (created) => created.close(),
  );
  jobsLogger.info({ mode: jobs.mode }, "timescale jobs started");
  // Expired sessions are refused on use already; the sweep only keeps the table small (O3).
  const sessionSweep = setInterval(() => {
    deleteExpiredSessions(database.db).then(
      (removed) => removed && logger.info({ removed }, "expired sessions removed"),
      (error) => logger.warn({ err: error }, "expired-session sweep failed"),
    );
  }, 3600_000).unref();
  stack.defer("expired-session sweep", () => clearInterval(sessionSweep));

  const metrics = createMetrics();
  const app = express();
  const httpServer = createServer(app);
  // Stopping the listener starts the HTTP close; this step (started before socket.io) waits for it, after
  // socket.io has dropped its long-lived connections.
  let httpClosed: Promise<void> = Promise.resolve();
  stack.defer("http server", () => httpClosed);
  const io = await stack.start(
    "socket.io",
    () => new SocketServer(httpServer, { serveClient: false, maxHttpBufferSize: 1_000_000 }),
    (server) => new Promise<void>((resolve) => server.close(() => resolve())),
  );
  // socket.io answers its own HTTP requests (polling handshake) before Express: same basic headers (§3).
  io.engine.on("headers", (headers: Record<string, string>) => Object.assign(headers, SOCKET_HEADERS));
  const realtime = await stack.start(
    "realtime",
    () => new Realtime(io, database.db, logger.child({ module: "realtime" }), config.SESSION_TTL_DAYS),
    (hub) => hub.close(),
  );
  // Factory productivity (P3, P5): drift checks on a schedule, ingest notifications to tenant rooms.
  await stack.start(
    "productivity scheduler",
    () => ProductivityScheduler.create(database.db, realtime, logger.child({ module: "productivity" })),
    (scheduler) => scheduler.close(),
  );
  // Worker fleet (W1-W11): the fleet manager owns worker state; /workers is its socket.io adapter.
  const fleet = await stack.start(
    "fleet",
    () => FleetManager.create(database.db, config, realtime, logger.child({ module: "fleet" })),
    (manager) => manager.close(),
  );
  // The mediasoup SFU (C2, C3): workers, a room per camera, signalling on /sfu; workers pull their assigned
  // cameras from it (C4).
  const sfu = await stack.start(
    "sfu",
    () =>
      Sfu.create({
        io,
        db: database.db,
        config,
        realtime,
        logger: logger.child({ module: "sfu" }),
        isAssigned: (workerId, cameraId, tenantId) => fleet.isAssigned(workerId, cameraId, tenantId),
      }),
    (created) => created.close(),
  );
  const onAssignmentEnded = ({ workerId, cameraId }: { workerId: string; cameraId: string }) =>
    sfu.workerMedia.closeFor(workerId, cameraId, "the camera is no longer assigned to this worker");
  fleet.on("assignment-ended", onAssignmentEnded);
  stack.defer("fleet -> sfu link", () => fleet.off("assignment-ended", onAssignmentEnded));
  // Detection (T2, C3): v1:events stored idempotently, v1:detections relayed to browsers watching the camera.
  // Stopping flushes what was received, while the database is still open.
  const detection = await stack.start(
    "detection ingest",
    () =>
      // Issue 13: workstation events in a batch go to the productivity tables, the rest to detection storage.
      // Issue 14: face events go to face_events (app/models/staff/face-events.server.ts).
      withFaceEvents(
        withWorkstationEvents(
          detectionHandlers({
            db: database.db,
            isAssigned: (workerId, cameraId, tenantId) => fleet.isAssigned(workerId, cameraId, tenantId),
            publisher: realtime,
            logger: logger.child({ module: "detections" }),
            metrics: createDetectionMetrics(metrics.registry),
          }),
          { db: database.db, logger: logger.child({ module: "workstations" }) },
        ),
        { db: database.db, logger: logger.child({ module: "face-events" }), publisher: realtime },
      ),
    (handlers) => handlers.flush(),
  );
  await stack.start(
    "worker namespace",
    () => WorkerNamespace.create(io, fleet, logger.child({ module: "worker-namespace" }), sfu.workerMedia, detection),
    (namespace) => namespace.close(),
  );

  const services: AppServices = {
    config,
    logger,
    database,
    db: database.db,
    loginLimiter: new RateLimiter(config.LOGIN_MAX_ATTEMPTS, config.LOGIN_WINDOW_SECONDS * 1000),
    loginIpLimiter: new RateLimiter(config.LOGIN_IP_MAX_ATTEMPTS, config.LOGIN_WINDOW_SECONDS * 1000),
    realtime,
    fleet,
    sfu,
    flashSecret: randomBytes(32).toString("hex"),
  };
  let shuttingDown = false;
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  // Issue 10 §3 (ADR 0012): request id and CSP nonce, then the security headers, on every response.
  app.use(requestIdentity());
  app.use(securityHeaders((req) => isSecureRequest(req, config.COOKIE_SECURE)));
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method, group: routeGroup(req.path) });
    res.on("finish", () => end({ status: String(res.statusCode) }));
    next();
  });
  app.use(compression());
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  app.use(noStoreByDefault()); // everything below is dynamic and may carry a secret
  // D1: model uploads have their own limit (the route also counts the bytes it streams, for chunked bodies).
  const bodyLimits = {
    maxBytes: MAX_BODY_BYTES,
    exempt: (req: express.Request) => req.method === "POST" && req.path.replace(/\/$/, "") === MODEL_UPLOAD_PATH,
    exemptMaxBytes: config.DETECTION_MODEL_MAX_MB * 1024 * 1024,
    exemptMessage: `Model files are limited to ${config.DETECTION_MODEL_MAX_MB} MB (DETECTION_MODEL_MAX_MB)`,
  };
  app.use(declaredLengthLimit(bodyLimits));
  app.use(originCheck());
  app.use(authMiddleware(database.db, { ttlDays: config.SESSION_TTL_DAYS, cookieSecure: config.COOKIE_SECURE }));
  app.use(opsRouter({ database, metrics, config, isShuttingDown: () => shuttingDown }));
  app.use(boundedBody(bodyLimits)); // chunked bodies: the same limit on the bytes read (issue 10 §2)

  const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;
  app.all(
    "*",
    remixHandler({
      build: withRouteBoundary(build, logger.child({ module: "routes" })),
      mode: config.NODE_ENV,
      logger,
      getLoadContext: (req, res) => ({
        services,
        auth: req.auth ?? null,
        clientIp: req.ip ?? "unknown",
        secure: isSecureRequest(req, config.COOKIE_SECURE),
        requestId: req.requestId ?? "",
        cspNonce: String(res.locals.cspNonce ?? ""),
      }),
    }),
  );
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // Express marks client faults (e.g. an undecodable URL like /%ff) with a 4xx status: answer
    // those as such (U4) and keep 500 and the error log for real faults.
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      logger.warn({ path: req.path, status, reason: (error as Error).message }, "bad request");
      if (!res.headersSent) res.status(status).json({ error: "bad_request", message: "Malformed request" });
      return;
    }
    logger.error({ err: error, path: req.path, requestId: req.requestId }, "unhandled request error");
    if (!res.headersSent)
      res.status(500).json({ error: "internal", message: "Something went wrong", request_id: req.requestId });
  });

  await stack.start(
    "http listener",
    () => listen(httpServer, config.PORT, config.HOST),
    () => {
      httpClosed = closeHttp(httpServer, config.SHUTDOWN_TIMEOUT_MS);
    },
  );
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${port}`;
  logger.info({ url, port, startupMs: Math.round(performance.now() - startedAt) }, "argus server listening");
  if (bootstrap) printBootstrap(url, bootstrap.email, bootstrap.generatedPassword, bootstrap.demoCameraId);
  // Started last (it needs the listening server), stopped first (it deregisters while we still answer).
  if (config.LOCAL_WORKER) {
    await stack.start(
      "local worker",
      () =>
        LocalWorker.create(
          database.db,
          fleet.credentials,
          {
            serverUrl: ["0.0.0.0", "::"].includes(config.HOST) ? `http://127.0.0.1:${port}` : url,
            capacity: config.LOCAL_WORKER_CAPACITY,
            dataDir: config.DATA_DIR,
          },
          logger.child({ module: "local-worker" }),
        ),
      (worker) => worker?.close(),
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        shuttingDown = true; // /readyz answers 503 from here on
        logger.info("shutting down");
        await stack.close();
        logger.info("stopped");
      })();
      return stopping;
    },
  };
}

/** Printed to the console once, never through the logger (U1: secrets are never logged). */
function printBootstrap(url: string, email: string, password?: string, demoCameraId?: string): void {
  const lines = [
    "Argus is ready. Sign in as the bootstrap admin:",
    `  URL:      ${url}/login`,
    `  Email:    ${email}`,
    password ? `  Password: ${password}` : "  Password: the ADMIN_PASSWORD you configured",
    password ? "This password is shown once; change it under Account." : "",
    demoCameraId ? "Demo camera (a clip the server plays; the local worker detects and counts people on it):" : "",
    demoCameraId ? `  ${url}/cameras/${demoCameraId}/live` : "",
  ].filter(Boolean);
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  const bar = "+" + "-".repeat(width) + "+";
  process.stdout.write(["", bar, ...lines.map((l) => `| ${l.padEnd(width - 1)}|`), bar, ""].join("\n") + "\n");
}

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  // Signals are handled from the first moment: during startup they abort it (what started is closed in
  // reverse); once running they stop the server; a second signal gives up waiting and exits at once.
  const startup = new AbortController();
  let server: RunningServer | undefined;
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, "second signal: exiting without waiting for shutdown");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, "signal received");
    if (!server) return startup.abort(new StartupError(`startup interrupted by ${signal}`));
    server.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    server = await startServer(config, logger, { signal: startup.signal });
  } catch (error) {
    // An operator-facing reason reads as one line; anything else keeps its stack for a bug report.
    if (error instanceof StartupError) logger.fatal(`Argus could not start: ${error.message}`);
    else logger.fatal({ err: error }, "Argus could not start");
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
