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
import { createPendingFrameSource } from "./ingest/frame-source";
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
  const cameras = new CameraRunner(config.capacity, createPendingFrameSource);
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
      capabilities: { models: [], codecs: [] },
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
  connection.on("registered", (reply) => {
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

  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
