// The Argus worker process (SPEC W1-W11). Start order: config -> logger -> identity -> cameras ->
// commands -> server connection -> signals. stop() undoes it in reverse: deregister (the server
// releases our cameras), stop cameras, release the id slot.
//   npm run worker -- --server URL --token CREDENTIAL [--id ID] [--name NAME] [--capacity N] [--heartbeat-ms MS]
import { hostname } from "node:os";
import { pathToFileURL } from "node:url";
import { CameraRunner } from "./cameras";
import { CommandExecutor } from "./commands";
import { loadWorkerConfig, USAGE } from "./config";
import { WorkerConnection } from "./connection";
import { resolveIdentity } from "./identity";
import type { FrameSource } from "./ingest/frame-source";
import { DECODABLE_CODECS } from "./ingest/rtp";
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
  const cameras: CameraRunner = new CameraRunner(
    config.capacity,
    (assignment): FrameSource => new SfuFrameSource(assignment, connection.media, ingest),
  );
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, code = 0) => {
    stopping ??= (async () => {
      logger.info({ reason }, "worker stopping");
      await connection.close(reason);
      const released = await cameras.stopAll();
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

  const connection = new WorkerConnection({
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
      return {
        status: maintenance ? "MAINTENANCE" : cameras.size > 0 ? "PROCESSING" : "IDLE",
        load: { assigned: cameras.size, capacity: config.capacity },
        cameras: cameras.health(),
        cpuPercent: system.cpuPercent,
        memoryMb: system.memoryMb,
      };
    },
  });
  let registrations = 0;
  connection.on("registered", (reply) => {
    // After a reconnect the server has dropped this worker's media consumers: set every stream up again.
    if (registrations++ > 0) cameras.restartStreams("reconnected to the server");
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
