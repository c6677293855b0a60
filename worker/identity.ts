// Worker id (SPEC W2): flag/env > .env > an id persisted in the state dir > a new UUID.
// Persisted ids live in numbered slots, each guarded by a pid lock file, so two workers started on
// one host without ids take different slots (never the same id) and a restarted worker takes its
// old slot back (the same id).
import { randomUUID } from "node:crypto";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync, existsSync } from "node:fs";
import path from "node:path";
import { idSchema } from "../protocol";

export interface WorkerIdentity {
  id: string;
  source: "flag" | "env" | "dotenv" | "persisted" | "generated";
  slot: number | null;
  release(): void;
}

const MAX_SLOTS = 64;

export function resolveIdentity(options: {
  explicitId?: string;
  explicitSource?: "flag" | "env" | "dotenv" | null;
  stateDir: string;
  pid?: number;
}): WorkerIdentity {
  const pid = options.pid ?? process.pid;
  if (options.explicitId) {
    const parsed = idSchema.safeParse(options.explicitId);
    if (!parsed.success)
      throw new Error(`Invalid worker id "${options.explicitId}": ${parsed.error.issues[0]?.message}`);
    return { id: parsed.data, source: options.explicitSource ?? "flag", slot: null, release: () => undefined };
  }
  mkdirSync(options.stateDir, { recursive: true });
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const dir = path.join(options.stateDir, `slot-${slot}`);
    mkdirSync(dir, { recursive: true });
    const lock = path.join(dir, "lock");
    if (!tryLock(lock, pid)) continue;
    const idFile = path.join(dir, "worker-id");
    const stored = existsSync(idFile) ? readFileSync(idFile, "utf8").trim() : "";
    const valid = idSchema.safeParse(stored).success;
    const id = valid ? stored : randomUUID();
    if (!valid) writeFileSync(idFile, id + "\n");
    return { id, source: valid ? "persisted" : "generated", slot, release: () => rmSync(lock, { force: true }) };
  }
  throw new Error(`All ${MAX_SLOTS} worker id slots in ${options.stateDir} are held by running workers`);
}

/** Atomic create; a lock whose pid is gone is stale and taken over. */
function tryLock(file: string, pid: number): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeFileSync(fd, String(pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSafe(file));
      if (owner && owner !== pid && isAlive(owner)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
