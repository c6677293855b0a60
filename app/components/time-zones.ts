// The IANA zones offered in pickers. Pure, so the server and the browser build the same list
// (the server passes its list down, so the options match what it will accept).

/** Every zone this runtime knows, "UTC" first, plus any `extra` zone (e.g. the browser's alias). */
export function listTimeZones(extra: Array<string | null | undefined> = []): string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const rest = new Set([...known, ...extra.filter((z): z is string => Boolean(z))]);
  rest.delete("UTC");
  return ["UTC", ...[...rest].sort()];
}

/** The browser's zone, or null where Intl cannot tell (old runtimes, server render). */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}
