// Short-lived worker tokens (SPEC W8; docs/decisions/0005-worker-protocol.md): compact JWS, HS256 over
// node:crypto, signed with a key kept in the database so every app instance verifies the same tokens.
// The long-lived credentials they are exchanged for are issued, hashed and revoked by app/auth/secrets.server.ts.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface WorkerTokenClaims {
  /** Credential id: revocation is checked against it on every event. */
  cid: string;
  /** Tenant the credential belongs to. */
  tid: string;
  iat: number;
  exp: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

export class TokenSigner {
  constructor(private readonly key: Buffer) {}

  sign(
    claims: Omit<WorkerTokenClaims, "iat" | "exp">,
    ttlSeconds: number,
    now = Date.now(),
  ): { token: string; expiresAt: Date } {
    const iat = Math.floor(now / 1000);
    const payload: WorkerTokenClaims = { ...claims, iat, exp: iat + ttlSeconds };
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    const signature = this.mac(`${HEADER}.${body}`);
    return { token: `${HEADER}.${body}.${signature}`, expiresAt: new Date(payload.exp * 1000) };
  }

  /** Returns the claims, or why the token is unusable. Never throws on hostile input. */
  verify(
    token: unknown,
    now = Date.now(),
  ): { ok: true; claims: WorkerTokenClaims } | { ok: false; reason: "malformed" | "signature" | "expired" } {
    if (typeof token !== "string" || token.length > 4096) return { ok: false, reason: "malformed" };
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: "malformed" };
    const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: "signature" };
    let claims: WorkerTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as WorkerTokenClaims;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    if (typeof claims?.cid !== "string" || typeof claims.tid !== "string" || typeof claims.exp !== "number")
      return { ok: false, reason: "malformed" };
    if (claims.exp * 1000 <= now) return { ok: false, reason: "expired" };
    return { ok: true, claims };
  }

  private mac(input: string): string {
    return createHmac("sha256", this.key).update(input).digest("base64url");
  }
}
