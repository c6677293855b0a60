// Every route file in app/routes with what a fuzzer needs to reach it: URL pattern (Remix flat routes),
// whether it exports a loader/action, the form intents it accepts and the field names its schemas read.
// Derived from the files themselves, so a new route is fuzzed (or the fuzz test fails) without a list.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./server-process";

export interface RouteEntry {
  file: string;
  /** e.g. /api/v1/sites/:siteId, /cameras/:cameraId/live, /api/v1/* for a splat */
  pattern: string;
  api: boolean;
  hasLoader: boolean;
  hasAction: boolean;
  intents: string[];
  params: string[];
}

const routesDir = path.join(repoRoot, "app/routes");

/** Remix flat routes: dots are slashes, `$x` a param, `$` a splat, `_x` pathless, `x_` un-nested, `[.]` a dot. */
export function patternFor(file: string): string {
  const name = file.replace(/\.(tsx|ts|jsx|js)$/, "").replace(/\[\.\]/g, "\u0001");
  const segments = name
    .split(".")
    .filter((s) => s !== "_index" && !s.startsWith("_"))
    .map((s) => s.replace(/_$/, "").replace(/\u0001/g, "."))
    .map((s) => (s === "$" ? "*" : s.startsWith("$") ? `:${s.slice(1)}` : s));
  return "/" + segments.join("/");
}

function intentsOf(source: string): string[] {
  if (!/intent/.test(source)) return [];
  const found = new Set<string>();
  const patterns = [
    /intent: z\.literal\("([\w-]+)"\)/g,
    /name="intent" value="([\w-]+)"/g,
    /intent"\)\s*===\s*"([\w-]+)"/g,
    /intent\s*===\s*"([\w-]+)"/g,
    /case "([\w-]+)":/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.add(m[1]);
  return [...found].sort();
}

export function routeCatalog(): RouteEntry[] {
  return readdirSync(routesDir)
    .filter((f) => /\.(tsx|ts)$/.test(f) && !/\.test\.(tsx|ts)$/.test(f))
    .sort()
    .map((file) => {
      const source = readFileSync(path.join(routesDir, file), "utf8");
      const pattern = patternFor(file);
      return {
        file,
        pattern,
        api: pattern.startsWith("/api/"),
        hasLoader: /export (const|async function|function) loader\b/.test(source),
        hasAction: /export (const|async function|function) action\b/.test(source),
        intents: intentsOf(source),
        params: [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]),
      };
    });
}

/** Field names the app's request schemas and forms read (zod object keys, form.get names). */
export function schemaFieldNames(): string[] {
  const names = new Set<string>();
  const files = [
    ...readdirSync(routesDir).map((f) => path.join(routesDir, f)),
    ...walk(path.join(repoRoot, "app/models")),
    ...walk(path.join(repoRoot, "app/fleet")),
    ...walk(path.join(repoRoot, "protocol")),
  ].filter((f) => /\.(tsx?|ts)$/.test(f) && !/\.test\./.test(f));
  const key =
    /^\s+(\w+): (?:z\b|safeText|float4|externalIdSchema|numDays|eventsPerDay|isoDateTime|booleanish|rtspUrl|emailSchema|passwordSchema|roleSchema|cameraId|siteId|userId)/gm;
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(key)) names.add(m[1]);
    for (const m of source.matchAll(/(?:form\.get|text)\("(\w+)"\)/g)) names.add(m[1]);
  }
  names.delete("intent");
  return [...names].sort();
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}
