// docker-compose.yml (SPEC O2): TimescaleDB server, app, and scalable workers. Docker Compose validates
// the file where its CLI plugin exists; the structure is asserted either way (from `docker compose
// config --format json` when available, else from the file parsed as YAML). No Docker engine runs
// here, so nothing is started: the stack itself is not exercised by these tests.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoRoot } from "./support/server-process";

const composeFile = path.join(repoRoot, "docker-compose.yml");

function dockerCompose(args: string[]) {
  return spawnSync("docker", ["compose", "-f", composeFile, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, WORKER_REPLICAS: "3" },
    timeout: 30_000,
  });
}

const composeAvailable = dockerCompose(["version"]).status === 0;
const skipReason = "the docker compose CLI plugin is not installed (`docker compose version` failed)";

interface HealthcheckSpec {
  test: string[] | string;
}
interface ServiceSpec {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | null>;
  healthcheck?: HealthcheckSpec;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number | string };
  ports?: unknown[];
}
interface ComposeModel {
  services: Record<string, ServiceSpec>;
}

function loadModel(): ComposeModel {
  if (composeAvailable) {
    const result = dockerCompose(["config", "--format", "json"]);
    if (result.status !== 0) throw new Error(`docker compose config failed:\n${result.stderr}`);
    return JSON.parse(result.stdout) as ComposeModel;
  }
  return parse(readFileSync(composeFile, "utf8"), { merge: true }) as ComposeModel;
}

const flat = (test: string[] | string | undefined) => (Array.isArray(test) ? test.join(" ") : (test ?? ""));

describe("docker-compose.yml (O2)", () => {
  it.skipIf(!composeAvailable)(`passes docker compose config --quiet (skipped when ${skipReason})`, () => {
    const result = dockerCompose(["config", "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("defines the db, app and worker services", () => {
    expect(Object.keys(loadModel().services).sort()).toEqual(["app", "db", "worker"]);
  });

  it("runs TimescaleDB with a pg_isready healthcheck and a volume", () => {
    const db = loadModel().services.db;
    expect(db.image).toBe("timescale/timescaledb:latest-pg17");
    expect(flat(db.healthcheck?.test)).toContain("pg_isready");
    expect(JSON.stringify((db as { volumes?: unknown }).volumes)).toContain("/var/lib/postgresql/data");
  });

  it("starts the app only once the database is healthy, and checks the app on /readyz", () => {
    const app = loadModel().services.app;
    expect(app.depends_on?.db?.condition).toBe("service_healthy");
    expect(app.environment?.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/[^@]+@db:5432\//);
    expect(flat(app.healthcheck?.test)).toContain("/readyz");
    expect(app.build).toBeDefined();
  });

  it("runs workers from the app image after the app is healthy, scaled by WORKER_REPLICAS", () => {
    const { app, worker } = loadModel().services;
    expect(worker.image).toBe(app.image);
    expect(flat(worker.command)).toContain("worker/main.ts");
    expect(worker.environment?.ARGUS_SERVER).toBe("http://app:3000");
    expect(worker.environment).toHaveProperty("WORKER_TOKEN");
    expect(worker.depends_on?.app?.condition).toBe("service_healthy");
    // Interpolated (3, from the env above) by docker compose; the raw template when read as YAML.
    expect(String(worker.deploy?.replicas)).toBe(composeAvailable ? "3" : "${WORKER_REPLICAS:-1}");
  });
});
