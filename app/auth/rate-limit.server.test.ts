import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit.server";

describe("RateLimiter (U1 login throttling)", () => {
  it("allows max attempts per window, then asks to wait until the window ends", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([limiter.hit("a"), limiter.hit("a"), limiter.hit("a")]).toEqual([0, 0, 0]);
    expect(limiter.hit("a")).toBe(60);
    now = 30_000;
    expect(limiter.hit("a")).toBe(30);
    expect(limiter.hit("b")).toBe(0);
    now = 60_000;
    expect(limiter.hit("a")).toBe(0);
  });

  it("forgets a key on reset (successful login)", () => {
    const limiter = new RateLimiter(1, 1000);
    limiter.hit("k");
    expect(limiter.hit("k")).toBeGreaterThan(0);
    limiter.reset("k");
    expect(limiter.hit("k")).toBe(0);
  });

  it("peek reports the wait once a key has used its attempts, without counting one (per-IP sign-in limit)", () => {
    let now = 0;
    const limiter = new RateLimiter(2, 10_000, () => now);
    expect(limiter.peek("ip")).toBe(0);
    limiter.hit("ip");
    expect(limiter.peek("ip")).toBe(0);
    limiter.hit("ip");
    expect(limiter.peek("ip")).toBe(10);
    expect(limiter.peek("ip")).toBe(10); // peeking does not extend or count
    expect(limiter.peek("other-ip")).toBe(0);
    now = 10_000;
    expect(limiter.peek("ip")).toBe(0);
  });
});
