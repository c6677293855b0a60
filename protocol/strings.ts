// Strings and numbers from outside (HTTP bodies, forms, path parameters, worker messages), checked at the
// schema layer before they reach SQL (U4, issue 10 §1). PostgreSQL `text` cannot hold NUL (U+0000), a lone
// UTF-16 surrogate cannot be encoded as UTF-8, and `real` (float4) cannot hold magnitudes below its smallest
// normal value: each answered a 500 from the database. No Node or Remix imports: app and worker share it.
import { z } from "zod";

export const NUL_MESSAGE = "must not contain NUL characters (\\u0000)";
export const SURROGATE_MESSAGE = "must be valid Unicode (no lone surrogates such as \\ud800)";

/** True when the string can be stored as PostgreSQL text: no NUL, no lone surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}
// String.prototype.isWellFormed is ES2024; this is the same test for older targets and browsers.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The one string schema for outside input: rejects NUL and lone surrogates with a clear message, then
 * NFC-normalises (so "é" typed as e + U+0301 and as U+00E9 is one name). Chain trim/min/max as usual:
 * `safeText().trim().min(1).max(100)`.
 */
export function safeText(params?: { error?: string }): z.ZodString {
  return z
    .string(params)
    .refine((v) => !v.includes("\u0000"), { message: NUL_MESSAGE })
    .refine((v) => !LONE_SURROGATE.test(v), { message: SURROGATE_MESSAGE })
    .normalize("NFC");
}

/** A uuid as PostgreSQL's uuid type reads it (any version, hyphenated); nothing else reaches a uuid column. */
export const uuidText = z.uuid();
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && uuidText.safeParse(value).success;
}

/**
 * Smallest positive normal float4. PostgreSQL rejects a `real` input that underflows ("value out of range:
 * underflow"); subnormals depend on the platform's strtof, so Argus accepts 0 or a magnitude of at least
 * this (decision in docs/decisions/0012-hardening.md: reject, never silently round to 0).
 */
export const FLOAT4_MIN_NORMAL = 1.1754943508222875e-38;
export const FLOAT4_MAX = 3.4028234663852886e38;
export const FLOAT4_MESSAGE = "must be 0 or between 1.2e-38 and 3.4e38 in magnitude (a 32-bit float)";

export function fitsFloat4(value: number): boolean {
  const magnitude = Math.abs(value);
  return value === 0 || (magnitude >= FLOAT4_MIN_NORMAL && magnitude <= FLOAT4_MAX);
}

/**
 * For numbers a process computed (a worker's boxes and confidences), where refusing would lose a stamped event
 * for good: magnitudes below float4's smallest normal become 0, which is what float4 can tell them apart from.
 */
export function flushTinyToZero(value: number): number {
  return Math.abs(value) < FLOAT4_MIN_NORMAL ? 0 : value;
}

/** A number for a `real` column: finite and representable as a normal float4 (or 0). */
export function float4(params?: { message?: string }): z.ZodNumber {
  return z.number(params).refine(fitsFloat4, { message: FLOAT4_MESSAGE });
}

/** True when every string and key in a JSON value is storable text (jsonb refuses \u0000 as well). */
export function isStorableJson(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return isStorableText(value);
  if (depth > 64) return false;
  if (Array.isArray(value)) return value.every((v) => isStorableJson(v, depth + 1));
  if (value && typeof value === "object")
    return Object.entries(value).every(([k, v]) => isStorableText(k) && isStorableJson(v, depth + 1));
  return true;
}
export const JSON_TEXT_MESSAGE = "must not contain NUL characters or lone surrogates in any string or key";
