// Prometheus metrics (SPEC U3). One registry per server process.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "argus_" });
  return {
    registry,
    httpDuration: new Histogram({
      name: "argus_http_request_duration_seconds",
      help: "HTTP request duration by method, route group and status",
      labelNames: ["method", "group", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    logins: new Counter({
      name: "argus_login_attempts_total",
      help: "Login attempts by outcome",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Low-cardinality label for a path: never ids. */
export function routeGroup(path: string): string {
  if (path.startsWith("/api/")) return path.split("/").slice(0, 4).join("/");
  if (path.startsWith("/build/") || path.startsWith("/assets/")) return "static";
  if (path.startsWith("/socket.io")) return "socket.io";
  return path.split("/").slice(0, 2).join("/") || "/";
}
