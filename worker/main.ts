// The Argus worker process (SPEC W1-W11, D1-D5, T2). Start order: config -> logger -> identity -> event publisher
// (spool) -> detectors (model store + pool) -> face galleries + lazy face analyzer -> camera pipelines -> commands
// -> server connection -> signals.
// stop() undoes it in reverse: deregister (the server releases our cameras), stop pipelines, close detectors, flush
// and close the publisher, release the id slot.
//   npm run worker -- --server URL --token CREDENTIAL [--id ID] [--name NAME] [--capacity N] [--heartbeat-ms MS]
import { hostname } from "node:os";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { eventBatchReplySchema, parseMessage, type EventBatchReply } from "../protocol";
import { CameraRunner } from "./cameras";
import { CommandExecutor } from "./commands";
import { loadWorkerConfig, USAGE } from "./config";
import { RequestError, WorkerConnection } from "./connection";
import { resolveIdentity } from "./identity";
import { lazyAnalyzer } from "./faces/face-stage";
import { GalleryStore } from "./faces/gallery-store";
import { createThreadedFaceAnalyzer } from "./faces/threaded-analyzer";
import { DECODABLE_CODECS } from "./ingest/rtp";
import { DetectorPool } from "./models/detector-pool";
import { ModelStore } from "./models/model-store";
import { createThreadedDetector } from "./models/threaded-detector";
import { CameraPipeline } from "./pipeline";
import { EventPublisher, spoolDirFor } from "./publish";
import { DEFAULT_INGEST, SfuFrameSource } from "./ingest/sfu-frame-source";
import { createWorkerLogger } from "./logger";
import { sampleSystem } from "./system";

export const WORKER_VERSION = "0.1.0";

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let loaded: ReturnType<typeof loadWorkerConfig>;
  try {
    loaded = loadWorkerConfig(argv, process.env);
  } catch (error) {
    if (argv.includes("--help")) {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    }
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(64);
  }
  const { config, idSource } = loaded;
  const bootLogger = createWorkerLogger(config.logLevel, {});
  const identity = resolveIdentity({ explicitId: config.id, explicitSource: idSource, stateDir: config.stateDir });
  const logger = bootLogger.child({ workerId: identity.id });
  logger.info(
    { idSource: identity.source, slot: identity.slot, server: config.server, capacity: config.capacity },
    "worker starting",
  );

  let maintenance = false;
  // C4: each assigned camera is pulled from the server's SFU and decoded at the configured size.
  const ingest = {
    ...DEFAULT_INGEST,
    width: config.frameWidth,
    height: config.frameHeight,
    ffmpegPath: config.ffmpegPath,
    bindIp: config.mediaBindIp,
    logger: logger.child({ module: "ingest" }),
  };
  // T2: every event is spooled to disk first and delivered in acknowledged batches (ADR 0011).
  const publisher: EventPublisher = new EventPublisher({
    dir: spoolDirFor(config.stateDir, identity.id),
    maxBytes: config.spoolMaxMb * 1024 * 1024,
    // Events are rare next to frames: a short linger keeps crossing-to-database latency low; bursts still batch.
    lingerMs: 50,
    eventLogPath: config.eventLog,
    logger: logger.child({ module: "publish" }),
    send: async (batch): Promise<EventBatchReply> => {
      const parsed = parseMessage(eventBatchReplySchema, await connection.request("v1:events", batch, 15_000));
      if (!parsed.success) throw new RequestError("bad_request", `unexpected events reply: ${parsed.message}`);
      return parsed.data;
    },
  });
  // D1: model files come from the server (checksum verified, cached); one onnxruntime session per model, in its own
  // thread so inference never stalls the event loop (RTP relay, heartbeats, delivery).
  const models = new ModelStore(
    path.join(config.stateDir, "models"),
    (p, init) => connection.authorizedFetch(p, init),
    logger,
  );
  const detectors = new DetectorPool(async (model) =>
    createThreadedDetector(model, await models.file(model), { threads: config.detectThreads }),
  );
  // D6 (issue 14): the tenants' face galleries as the server sends them, and one face analyzer for every camera,
  // created only when a camera with faces enabled needs it (a worker without face cameras never loads the models),
  // in its own thread like the detectors (a face search + embedding is ~40 ms of synchronous onnxruntime work).
  const faceLogger = logger.child({ module: "faces" });
  const galleries = new GalleryStore(faceLogger);
  const faceAnalyzer = lazyAnalyzer(async () => {
    const analyzer = await createThreadedFaceAnalyzer({ detector: "back" });
    faceLogger.info({ embedder: `${analyzer.embedderId}@${analyzer.embedderVersion}` }, "face analyzer ready");
    return analyzer;
  });
  const pipelineLogger = logger.child({ module: "pipeline" });
  const cameras: CameraRunner = new CameraRunner(
    config.capacity,
    (assignment) =>
      new CameraPipeline(assignment, new SfuFrameSource(assignment, connection.media, ingest), {
        detectors,
        publish: (event) => publisher.enqueue(event),
        live: (message) => connection.sendLive(message),
        clock: { driftOffsetMs: () => connection.drift.offsetMs, lamport: () => connection.lamport.tick() },
        changed: () => connection.heartbeatSoon(),
        logger: pipelineLogger,
        faces: { analyzer: () => faceAnalyzer.get(), galleries },
      }),
  );
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, code = 0) => {
    stopping ??= (async () => {
      logger.info({ reason }, "worker stopping");
      const released = await cameras.stopAll();
      // Events already produced reach the server before we deregister when it is reachable; else they stay spooled.
      const flushed = await publisher.flush(3_000);
      await connection.close(reason);
      await detectors.closeAll();
      await faceAnalyzer.close();
      publisher.close();
      if (!flushed)
        logger.warn({ pending: publisher.stats().pendingEvents }, "events left in the spool for the next start");
      identity.release();
      logger.info({ released }, "worker stopped");
      process.exit(code);
    })();
    return stopping;
  };
  const executor = new CommandExecutor({
    cameras,
    setMaintenance: (on) => (maintenance = on),
    requestShutdown: (reason) => setTimeout(() => void stop(`SHUTDOWN command: ${reason}`), 50),
  });

  const connection: WorkerConnection = new WorkerConnection({
    server: config.server,
    credential: config.token,
    reconnectMaxMs: config.reconnectMaxMs,
    logger,
    register: () => ({
      id: identity.id,
      name: config.name,
      host: hostname(),
      version: WORKER_VERSION,
      capacity: config.capacity,
      capabilities: { models: [], codecs: DECODABLE_CODECS },
      pid: process.pid,
      ...(config.heartbeatMs ? { heartbeatMs: config.heartbeatMs } : {}),
    }),
    heartbeat: () => {
      const system = sampleSystem();
      const health = cameras.health();
      // W10: IDLE when no camera is assigned or every camera is in idle mode (low analysis rate).
      const allIdle = health.every((h) => h.mode === "idle");
      return {
        status: maintenance ? "MAINTENANCE" : allIdle ? "IDLE" : "PROCESSING",
        load: { assigned: cameras.size, capacity: config.capacity },
        cameras: health,
        cpuPercent: system.cpuPercent,
        memoryMb: system.memoryMb,
        spool: publisher.stats(),
      };
    },
  });
  let registrations = 0;
  connection.on("registered", (reply) => {
    // After a reconnect the server has dropped this worker's media consumers: set every stream up again.
    if (registrations++ > 0) cameras.restartStreams("reconnected to the server");
    publisher.onConnected();
    void cameras
      .sync(reply.assignments)
      .then(() =>
        logger.info(
          { cameras: reply.assignments.map((a) => a.cameraId) },
          "assignments resumed from the register reply",
        ),
      );
  });
  connection.on("command", (command, ack) => {
    void executor.execute(command).then((result) => {
      logger.info(
        {
          commandId: command.commandId,
          type: command.type,
          ok: result.ok,
          duplicate: result.duplicate,
          error: result.error,
        },
        "command executed",
      );
      ack(result);
      if (!result.duplicate) connection.heartbeatSoon();
    });
  });
  connection.on("camera-analysis", (cameraId, analysis) => {
    if (cameras.setAnalysis(cameraId, analysis))
      logger.info(
        { cameraId, lines: analysis.scene.lines.length, zones: analysis.scene.zones.length, model: analysis.model?.id },
        "camera analysis updated",
      );
  });
  connection.on("face-gallery", (gallery) => galleries.apply(gallery));
  connection.on("fatal", (error) => {
    logger.error(error.message);
    void stop("fatal connection error", 2);
  });
  connection.start();
  // A camera's stream changing state (streaming, stalled, error) is reported at once, not at the next heartbeat.
  let streamStates = "";
  const stateWatch = setInterval(() => {
    const now = cameras
      .health()
      .map((h) => `${h.cameraId}:${h.state}`)
      .join(",");
    if (now !== streamStates) connection.heartbeatSoon();
    streamStates = now;
  }, 500);
  stateWatch.unref();

  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
