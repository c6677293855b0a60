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
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
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
  if (config.METRICS === "token" && !config.METRICS_TOKEN) {
    throw new ConfigError(["METRICS_TOKEN: required when METRICS=token"]);
  }
  return config;
}
