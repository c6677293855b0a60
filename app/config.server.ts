// Process configuration, parsed once at start with zod; bad fields fail fast by name (SPEC O1, U3).
import { z } from "zod";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe("HTTP port"),
  HOST: z.string().min(1).default("0.0.0.0").describe("Interface the HTTP server binds"),
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgres:// or postgresql:// URL")
    .optional()
    .describe("TimescaleDB server; unset = embedded PGlite+TimescaleDB under DATA_DIR"),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default("./data").describe("Embedded database and local state"),
  ADMIN_EMAIL: z.string().email().default("admin@argus.local").describe("Bootstrap admin (first start only)"),
  ADMIN_PASSWORD: z
    .string()
    .min(12, "must be at least 12 characters")
    .optional()
    .describe("Bootstrap admin password; unset = generated and printed once"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto").describe("Secure cookie flag; auto = when HTTPS"),
  TRUST_PROXY: booleanFromEnv.default(false).describe("Trust X-Forwarded-* (behind a reverse proxy)"),
  METRICS: z.enum(["off", "admin", "token"]).default("admin").describe("Who may read /metrics"),
  METRICS_TOKEN: z.string().min(16).optional().describe("Bearer token for /metrics when METRICS=token"),
  DB_JOBS: z
    .enum(["auto", "app", "database"])
    .default("auto")
    .describe("Who refreshes continuous aggregates and runs retention"),
  DB_JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86400).default(60),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10).describe("Per email+IP per window"),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  LOGIN_IP_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(20)
    .describe("Failed sign-ins per client IP (any email) per window; other IPs are unaffected"),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  // Worker fleet (SPEC W1-W11; docs/decisions/0005-worker-protocol.md).
  WORKER_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(30_000)
    .describe("Heartbeat interval for workers that do not ask for their own"),
  WORKER_MIN_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(250)
    .describe("Shortest heartbeat interval a worker may ask for"),
  WORKER_OFFLINE_AFTER_MISSES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe("Missed heartbeats before a worker is OFFLINE"),
  WORKER_DISCONNECT_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(5_000)
    .describe(
      "After a worker's connection closes, how long it may take to reconnect before it is OFFLINE and its cameras fail over",
    ),
  WORKER_STALE_RETENTION_HOURS: z.coerce
    .number()
    .min(0.0005)
    .max(87_600)
    .default(168)
    .describe("OFFLINE workers are removed after this long"),
  WORKER_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(86_400)
    .default(900)
    .describe("Lifetime of the signed worker token (renewed by heartbeats)"),
  WORKER_COMMAND_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(10_000)
    .describe("Ack timeout per command attempt"),
  WORKER_COMMAND_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(3)
    .describe("Sends per command before it times out"),
  AUTO_ASSIGN_CAMERAS: booleanFromEnv.default(true).describe("Assign new enabled cameras round-robin"),
  LOCAL_WORKER: booleanFromEnv.default(true).describe("Start one local worker process with the server"),
  DEMO_CAMERA: booleanFromEnv
    .default(true)
    .describe("On the first start, add a demo camera the server plays from a clip (vtest.avi or a test pattern)"),
  PRODUCTIVITY_SAMPLE_DATA: booleanFromEnv
    .default(true)
    .describe(
      "On the first start, give the default tenant the documented sample factory (W1-W6, S1-S6, 7 days of events)",
    ),
  // Live video (SPEC C2, C3): the mediasoup SFU inside the server process.
  RTC_LISTEN_IP: z.string().min(1).default("127.0.0.1").describe("IP the SFU's WebRTC transports listen on"),
  RTC_ANNOUNCED_ADDRESS: z
    .string()
    .min(1)
    .optional()
    .describe("Address (IP or host) announced to browsers when RTC_LISTEN_IP is not reachable (NAT, 0.0.0.0)"),
  RTC_MIN_PORT: z.coerce.number().int().min(1024).max(65535).default(40000).describe("First RTC port (UDP/TCP)"),
  RTC_MAX_PORT: z.coerce.number().int().min(1024).max(65535).default(40999).describe("Last RTC port (UDP/TCP)"),
  SFU_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(2)
    .describe("mediasoup worker processes (capped at the number of cores)"),
  // IP cameras (C1): the server pulls each enabled RTSP camera with ffmpeg and transcodes it to VP8 for the SFU.
  FFMPEG_PATH: z.string().min(1).default("ffmpeg").describe("ffmpeg binary that ingests RTSP cameras"),
  RTSP_MAX_WIDTH: z.coerce
    .number()
    .int()
    .min(160)
    .max(3840)
    .default(1280)
    .describe("RTSP cameras wider than this are scaled down (aspect kept) before VP8 encoding"),
  RTSP_VIDEO_KBPS: z.coerce
    .number()
    .int()
    .min(100)
    .max(20_000)
    .default(1000)
    .describe("VP8 bitrate of each ingested RTSP camera"),
  LOCAL_WORKER_CAPACITY: z.coerce.number().int().min(0).max(256).default(4).describe("Cameras the local worker takes"),
  // Detection (SPEC D1, T2, T3): events from workers, their aggregates, the model registry.
  DETECTION_RAW_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(30)
    .describe("Raw detection events are dropped after this many days"),
  DETECTION_AGGREGATE_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(36_500)
    .default(730)
    .describe("Per-minute and hourly detection counts are dropped after this many days"),
  DETECTION_DEFAULT_MODEL: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, "must be a model id")
    .optional()
    .describe("Model id cameras use when none is chosen; unset = the built-in default model"),
  DETECTION_MODEL_MAX_MB: z.coerce
    .number()
    .int()
    .min(1)
    .max(4096)
    .default(200)
    .describe("Largest ONNX model file an admin may upload (MB)"),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses env (empty strings count as unset). Throws ConfigError naming every bad field. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const config = parsed.data;
  if (config.RTC_MIN_PORT > config.RTC_MAX_PORT) {
    throw new ConfigError(["RTC_MAX_PORT: must not be below RTC_MIN_PORT"]);
  }
  if (config.METRICS === "token" && !config.METRICS_TOKEN) {
    throw new ConfigError(["METRICS_TOKEN: required when METRICS=token"]);
  }
  return config;
}
