// Health, readiness and metrics endpoints (SPEC U3), served by Express ahead of Remix.
import { Router } from "express";
import type { DatabaseHandle } from "../../db/client";
import type { Config } from "../config.server";
import type { Metrics } from "../metrics.server";

export function opsRouter(options: {
  database: DatabaseHandle;
  metrics: Metrics;
  config: Config;
  isShuttingDown: () => boolean;
}) {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    if (options.isShuttingDown()) {
      res.status(503).json({ status: "shutting-down" });
      return;
    }
    try {
      await withTimeout(options.database.ping(), 2000);
      res.json({ status: "ready", database: options.database.kind });
    } catch (error) {
      res.status(503).json({ status: "unavailable", database: options.database.kind, error: (error as Error).message });
    }
  });
  router.get("/metrics", async (req, res) => {
    const { METRICS, METRICS_TOKEN } = options.config;
    const allowed =
      METRICS === "token"
        ? req.headers.authorization === `Bearer ${METRICS_TOKEN}`
        : METRICS === "admin" && req.auth?.user.isPlatformAdmin === true;
    if (METRICS === "off") {
      res.status(404).json({ error: "not_found", message: "Metrics are disabled (METRICS=off)" });
      return;
    }
    if (!allowed) {
      res
        .status(req.auth || METRICS === "token" ? 403 : 401)
        .json({ error: "forbidden", message: "Metrics need a platform admin session or the metrics token" });
      return;
    }
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}
