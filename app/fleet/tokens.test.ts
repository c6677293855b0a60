import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TokenSigner } from "./tokens.server";

describe("worker tokens (W8; credentials: app/auth/secrets.server.test.ts)", () => {
  it("signs and verifies HS256 tokens; rejects tampering, other keys, expiry and junk", () => {
    const signer = new TokenSigner(randomBytes(32));
    const { token, expiresAt } = signer.sign({ cid: "c", tid: "t" }, 60, 1_000_000);
    expect(expiresAt.getTime()).toBe(1_060_000);
    const ok = signer.verify(token, 1_000_000);
    expect(ok.ok && ok.claims).toMatchObject({ cid: "c", tid: "t" });
    expect(signer.verify(token, 1_060_000)).toEqual({ ok: false, reason: "expired" });
    const [h, p, s] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ cid: "other", tid: "t", iat: 0, exp: 9e9 })).toString("base64url");
    expect(signer.verify(`${h}.${forged}.${s}`, 1_000_000)).toEqual({ ok: false, reason: "signature" });
    expect(new TokenSigner(randomBytes(32)).verify(token, 1_000_000)).toEqual({ ok: false, reason: "signature" });
    for (const junk of [null, 5, "", "a.b", "x".repeat(5000), `${h}.${p}`])
      expect(signer.verify(junk, 1_000_000).ok).toBe(false);
  });
});
