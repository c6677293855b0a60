// Shared building blocks of the server <-> worker contract. No Node or Remix imports here:
// this folder is imported by the server, the worker process and (later) browsers.
import { z } from "zod";

/** Bumped on any incompatible change to a message below; checked at connect (U4, W1). */
export const PROTOCOL_VERSION = 1;

export const MAX_ID_LENGTH = 64;
export const idSchema = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "ids use letters, digits and . _ : -");
export const uuidSchema = z.uuid();
export const isoTimeSchema = z.iso.datetime({ offset: true });

export const errorCodes = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "revoked",
  "token_expired",
  "already_registered",
  "protocol_version",
  "not_registered",
  "conflict",
  "no_capacity",
  "not_found",
  "rate_limited",
  /** The thing exists but cannot be had right now (e.g. a camera with no live stream): retry later. */
  "unavailable",
  "internal",
] as const;
export const errorSchema = z.object({ code: z.enum(errorCodes), message: z.string().max(500) });
export type ProtocolError = z.infer<typeof errorSchema>;

/** Every acknowledgement is either ok with data or a clear error; never a thrown exception. */
export function ackSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: errorSchema }),
  ]);
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}
export function fail(code: ProtocolError["code"], message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}

/** Parses an untrusted payload; returns a readable error instead of throwing. */
export function parseMessage<S extends z.ZodType>(
  schema: S,
  payload: unknown,
): { success: true; data: z.output<S> } | { success: false; message: string } {
  const result = schema.safeParse(payload);
  if (result.success) return { success: true, data: result.data };
  const first = result.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  return { success: false, message: first.join("; ") };
}
