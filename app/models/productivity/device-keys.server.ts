// Scoped keys for the publish page's on-device mode (issue 13 item 2). A tablet at a workstation posts its
// working/idle/absent events through the ingestion API (P1) with a key that can do only that: ingest state events
// for ONE worker at ONE workstation of ONE tenant, for a few hours, while whoever minted it (a signed-in operator,
// or a live publish link of the camera) still may. Tenant API keys are tenant-wide and long-lived, so the page must
// not hold one. The key is a signed claim set (HMAC-SHA256 with a key kept in server_secrets, like worker tokens),
// so every app instance verifies it; liveness of the minting credential is checked on every use (revocation works).
// Kiosk pages (publish links) have no user: an operator binds the link to a workstation and worker with a signed
// `binding` parameter (signBinding), so the link's holder cannot pick another workstation.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { cameraPublishTokens, cameras, serverSecrets } from "../../../db/schema";
import { hasRole, scopeFor } from "../scope.server";

export const DEVICE_KEY_PREFIX = "argus_dk_";
const SIGNING_KEY_NAME = "device-key-hs256";
/** Long enough for a shift; the page mints a new key well before expiry (it reloads its loader data). */
export const DEVICE_KEY_TTL_SECONDS = 8 * 3600;

/** What a device key may do. `via`/`sub` name the credential that minted it (checked live on every use). */
export interface DeviceKeyClaims {
  tid: string;
  cam: string;
  ws: string;
  wk: string;
  via: "session" | "publish";
  /** User id (session) or publish token id (publish). */
  sub: string;
  exp: number;
}

const keys = new WeakMap<Db, Promise<Buffer>>();

function signingKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = (async () => {
      await db
        .insert(serverSecrets)
        .values({ name: SIGNING_KEY_NAME, value: randomBytes(32).toString("base64") })
        .onConflictDoNothing();
      const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, SIGNING_KEY_NAME));
      return Buffer.from(row!.value, "base64");
    })();
    key.catch(() => keys.delete(db));
    keys.set(db, key);
  }
  return key;
}

const mac = (key: Buffer, input: string) => createHmac("sha256", key).update(input).digest("base64url");

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function issueDeviceKey(
  db: Db,
  claims: Omit<DeviceKeyClaims, "exp">,
  now = Date.now(),
): Promise<{ key: string; expiresAt: string }> {
  const exp = Math.floor(now / 1000) + DEVICE_KEY_TTL_SECONDS;
  const body = Buffer.from(JSON.stringify({ ...claims, exp })).toString("base64url");
  const key = `${DEVICE_KEY_PREFIX}${body}.${mac(await signingKey(db), `key.${body}`)}`;
  return { key, expiresAt: new Date(exp * 1000).toISOString() };
}

/** The key's claims when it is genuine, unexpired and its minting credential is still live; else null. */
export async function verifyDeviceKey(db: Db, key: string, now = Date.now()): Promise<DeviceKeyClaims | null> {
  if (!key.startsWith(DEVICE_KEY_PREFIX) || key.length > 2000) return null;
  const [body, signature, extra] = key.slice(DEVICE_KEY_PREFIX.length).split(".");
  if (!body || !signature || extra !== undefined) return null;
  if (!sameMac(mac(await signingKey(db), `key.${body}`), signature)) return null;
  let claims: DeviceKeyClaims;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as DeviceKeyClaims;
  } catch {
    return null;
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= now) return null;
  return (await isMinterLive(db, claims)) ? claims : null;
}

async function isMinterLive(db: Db, claims: DeviceKeyClaims): Promise<boolean> {
  if (claims.via === "session") {
    const scope = await scopeFor(db, claims.sub, claims.tid).catch(() => null);
    return !!scope && hasRole(scope.role, "operator");
  }
  const [row] = await db
    .select({ enabled: cameras.enabled })
    .from(cameraPublishTokens)
    .innerJoin(cameras, eq(cameras.id, cameraPublishTokens.cameraId))
    .where(
      and(
        eq(cameraPublishTokens.id, claims.sub),
        eq(cameraPublishTokens.cameraId, claims.cam),
        eq(cameras.tenantId, claims.tid),
        isNull(cameraPublishTokens.revokedAt),
      ),
    );
  return !!row?.enabled;
}

/** An operator's consent that a camera's publish links may post events for this workstation and worker. */
export interface DeviceBinding {
  tid: string;
  cam: string;
  ws: string;
  wk: string;
}

const bindingInput = (b: DeviceBinding) => `binding.${JSON.stringify([b.tid, b.cam, b.ws, b.wk])}`;

export async function signBinding(db: Db, binding: DeviceBinding): Promise<string> {
  return mac(await signingKey(db), bindingInput(binding));
}

export async function verifyBinding(db: Db, binding: DeviceBinding, signature: string): Promise<boolean> {
  return signature.length < 200 && sameMac(await signBinding(db, binding), signature);
}

/**
 * Refuses events a device key may not post: only working/idle/absent, only for its own worker and workstation.
 * Returns a message for the 403, or null when every event is in scope. Runs before validation (items are unknown).
 */
export function outOfDeviceScope(claims: Pick<DeviceKeyClaims, "ws" | "wk">, events: unknown[]): string | null {
  for (const [index, event] of events.entries()) {
    const e = (event ?? {}) as Record<string, unknown>;
    if (e.workstation_id !== claims.ws || e.worker_id !== claims.wk)
      return `Event ${index}: this device key posts only for worker ${claims.wk} at workstation ${claims.ws}`;
    if (e.event_type !== "working" && e.event_type !== "idle" && e.event_type !== "absent")
      return `Event ${index}: this device key posts only working, idle and absent events`;
  }
  return null;
}
