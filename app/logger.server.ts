import pino, { type Logger } from "pino";

export type { Logger };

/** One logger per process; modules take `logger.child({ module })`. Secrets are redacted by path. */
export function createLogger(options: { level: string; format: "json" | "pretty"; name?: string }): Logger {
  return pino({
    name: options.name ?? "argus",
    level: options.level,
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "credential",
        "*.credential",
        "req.headers.cookie",
        "req.headers.authorization",
      ],
      censor: "[redacted]",
    },
    transport: options.format === "pretty" ? { target: "pino-pretty", options: { colorize: true } } : undefined,
  });
}
