// PostgreSQL errors by SQLSTATE, whichever driver raised them: drizzle (0.44+) wraps the driver's error
// (PGlite's DatabaseError, postgres.js's PostgresError) in a DrizzleQueryError whose `cause` holds the code.
// Models map the ones they expect (a rename onto an existing name is 23505: 409); the route boundary
// (app/http/route-boundary.server.ts) maps what is left of the client-caused classes to 4xx (U4).

/** The SQLSTATE of a database error, looking through wrappers; undefined for anything else. */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === "23505";

/** Client-caused SQLSTATE classes and the HTTP status each maps to; anything else stays a 500. */
export function statusForPgError(error: unknown): { status: number; message: string } | undefined {
  const code = pgErrorCode(error);
  if (!code) return undefined;
  if (code === "23505") return { status: 409, message: "That name or id is already taken" };
  if (code === "23503") return { status: 409, message: "A related record is missing or still in use" };
  // 22001 string too long, 22003 numeric out of range (float4 underflow), 22007/22008 bad date-time,
  // 22021/22P05 characters the encoding cannot hold (NUL), 22P02 bad text representation (a malformed uuid).
  if (["22001", "22003", "22007", "22008", "22021", "22P02", "22P05", "2201B", "22023"].includes(code))
    return { status: 400, message: "A value in the request cannot be stored (wrong format or out of range)" };
  return undefined;
}
