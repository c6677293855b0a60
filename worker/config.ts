// Worker process configuration (SPEC W2): CLI flags > environment > `.env` file; parsed once with zod.
import { existsSync, readFileSync } from "node:fs";
import { homedir, hostname } from "node:os";
import path from "node:path";
import { parseArgs, parseEnv } from "node:util";
import { z } from "zod";

export const workerConfigSchema = z
  .object({
    server: z.url().describe("Argus server URL (ARGUS_SERVER)"),
    token: z.string().min(10, "is required: pass --token or WORKER_TOKEN").describe("Worker credential (WORKER_TOKEN)"),
    id: z.string().optional().describe("Worker id (WORKER_ID); else persisted in the state dir"),
    name: z.string().trim().min(1).max(100).describe("Display name (WORKER_NAME)"),
    capacity: z.coerce.number().int().min(0).max(256).describe("Max cameras (WORKER_CAPACITY)"),
    heartbeatMs: z.coerce
      .number()
      .int()
      .min(100)
      .max(600_000)
      .optional()
      .describe("Heartbeat interval (WORKER_HEARTBEAT_MS); else the server's"),
    stateDir: z.string().min(1).describe("Where the worker persists its id (WORKER_STATE_DIR)"),
    reconnectMaxMs: z.coerce.number().int().min(100).max(300_000).describe("Backoff cap (WORKER_RECONNECT_MAX_MS)"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    frameWidth: z.coerce.number().int().min(16).max(4096).describe("Decoded frame width (WORKER_FRAME_WIDTH)"),
    frameHeight: z.coerce.number().int().min(16).max(4096).describe("Decoded frame height (WORKER_FRAME_HEIGHT)"),
    ffmpegPath: z.string().min(1).describe("ffmpeg binary that decodes camera streams (FFMPEG_PATH)"),
    mediaBindIp: z.union([z.ipv4(), z.ipv6()]).describe("Interface the RTP ports bind (WORKER_MEDIA_BIND_IP)"),
    detectThreads: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .describe("onnxruntime intra-op threads per model (WORKER_DETECT_THREADS)"),
    spoolMaxMb: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_048_576)
      .describe("Bound of the on-disk event spool in MiB (WORKER_SPOOL_MAX_MB)"),
    eventLog: z
      .string()
      .min(1)
      .optional()
      .describe("Append the id of every produced event to this file (WORKER_EVENT_LOG; audits and tests)"),
  })
  .strict();
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

const FLAGS = {
  server: { type: "string" },
  token: { type: "string" },
  id: { type: "string" },
  name: { type: "string" },
  capacity: { type: "string" },
  "heartbeat-ms": { type: "string" },
  "frame-size": { type: "string" },
  "state-dir": { type: "string" },
  dotenv: { type: "string" },
  help: { type: "boolean" },
} as const;

export const USAGE = `Usage: npm run worker -- --server URL --token CREDENTIAL [--id ID] [--name NAME] [--capacity N] [--heartbeat-ms MS] [--frame-size WxH] [--state-dir DIR] [--dotenv FILE|none]
Environment: ARGUS_SERVER, WORKER_TOKEN, WORKER_ID, WORKER_NAME, WORKER_CAPACITY, WORKER_HEARTBEAT_MS, WORKER_STATE_DIR, WORKER_RECONNECT_MAX_MS, WORKER_FRAME_WIDTH, WORKER_FRAME_HEIGHT, WORKER_MEDIA_BIND_IP, WORKER_DETECT_THREADS, WORKER_SPOOL_MAX_MB, WORKER_EVENT_LOG, FFMPEG_PATH, LOG_LEVEL`;

export class WorkerConfigError extends Error {}

/** The `.env` layer, kept apart from the environment so the id priority (W2) stays explicit. */
export function readDotEnv(file: string): Record<string, string> {
  if (file === "none" || !existsSync(file)) return {};
  return parseEnv(readFileSync(file, "utf8")) as Record<string, string>;
}

export function loadWorkerConfig(
  argv: string[],
  env: Record<string, string | undefined>,
): { config: WorkerConfig; help: boolean; idSource: "flag" | "env" | "dotenv" | null } {
  let flags: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>>["values"];
  try {
    flags = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new WorkerConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  const dotenv = readDotEnv(flags.dotenv ?? path.resolve(".env"));
  const pick = (flag: string | undefined, key: string) => flag ?? nonEmpty(env[key]) ?? nonEmpty(dotenv[key]);
  const frameSize = flags["frame-size"]?.match(/^(\d+)x(\d+)$/);
  if (flags["frame-size"] && !frameSize)
    throw new WorkerConfigError(
      `--frame-size must look like 640x480, got ${JSON.stringify(flags["frame-size"])}\n${USAGE}`,
    );
  const idSource = flags.id ? "flag" : nonEmpty(env.WORKER_ID) ? "env" : nonEmpty(dotenv.WORKER_ID) ? "dotenv" : null;
  const parsed = workerConfigSchema.safeParse({
    server: pick(flags.server, "ARGUS_SERVER") ?? "http://127.0.0.1:3000",
    token: pick(flags.token, "WORKER_TOKEN") ?? "",
    id: pick(flags.id, "WORKER_ID"),
    name: pick(flags.name, "WORKER_NAME") ?? hostname(),
    capacity: pick(flags.capacity, "WORKER_CAPACITY") ?? 4,
    heartbeatMs: pick(flags["heartbeat-ms"], "WORKER_HEARTBEAT_MS"),
    stateDir: pick(flags["state-dir"], "WORKER_STATE_DIR") ?? path.join(homedir(), ".argus", "worker"),
    reconnectMaxMs: pick(undefined, "WORKER_RECONNECT_MAX_MS") ?? 15_000,
    logLevel: pick(undefined, "LOG_LEVEL") ?? "info",
    frameWidth: frameSize?.[1] ?? pick(undefined, "WORKER_FRAME_WIDTH") ?? 640,
    frameHeight: frameSize?.[2] ?? pick(undefined, "WORKER_FRAME_HEIGHT") ?? 480,
    ffmpegPath: pick(undefined, "FFMPEG_PATH") ?? "ffmpeg",
    mediaBindIp: pick(undefined, "WORKER_MEDIA_BIND_IP") ?? "0.0.0.0",
    detectThreads: pick(undefined, "WORKER_DETECT_THREADS") ?? 2,
    spoolMaxMb: pick(undefined, "WORKER_SPOOL_MAX_MB") ?? 256,
    eventLog: pick(undefined, "WORKER_EVENT_LOG"),
  });
  if (!parsed.success) {
    throw new WorkerConfigError(
      `Invalid worker configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n")}\n${USAGE}`,
    );
  }
  return { config: parsed.data, help: Boolean(flags.help), idSource };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
