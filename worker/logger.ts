import pino from "pino";

export type Logger = pino.Logger;

export function createWorkerLogger(level: string, bindings: Record<string, unknown>): Logger {
  return pino({ level, base: { service: "argus-worker", ...bindings } });
}
