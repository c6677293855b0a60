import { accessSync, constants, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/**
 * Where the mediasoup C++ worker binary is. mediasoup's npm postinstall cannot fetch or build it offline, so
 * scripts/mediasoup/build-worker.sh builds it from the npm package's sources with Debian packages into
 * `${ARGUS_CACHE_DIR:-~/.cache/argus}/mediasoup-worker/<version>-<inputs hash>/mediasoup-worker`, and
 * scripts/argus.sh exports MEDIASOUP_WORKER_BIN for the processes it starts (ADR 0006).
 * Pass the result to `createWorker({ workerBin })`.
 */

export const BUILD_SCRIPT = "scripts/mediasoup/build-worker.sh";

export class MediasoupWorkerBinError extends Error {
  override name = "MediasoupWorkerBinError";
}

export interface ResolveWorkerBinOptions {
  env?: Record<string, string | undefined>;
  /** Defaults to ARGUS_CACHE_DIR or ~/.cache/argus. */
  cacheDir?: string;
  /** mediasoup version the binary must match; defaults to the installed npm package's. */
  version?: string;
}

/** Version of the installed `mediasoup` npm package (the worker binary must be built from the same one). */
export function installedMediasoupVersion(): string {
  const require = createRequire(import.meta.url);
  // The package's exports map hides package.json; main is <pkg>/node/lib/index.js.
  const main = require.resolve("mediasoup");
  const pkg = JSON.parse(readFileSync(path.resolve(path.dirname(main), "../../package.json"), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * MEDIASOUP_WORKER_BIN when it names an executable file; else the newest cache entry built for `version`.
 * Throws MediasoupWorkerBinError naming the script to run when there is none.
 */
export function resolveMediasoupWorkerBin(options: ResolveWorkerBinOptions = {}): string {
  const env = options.env ?? process.env;
  const fromEnv = env.MEDIASOUP_WORKER_BIN;
  if (fromEnv && isExecutableFile(fromEnv)) return fromEnv;

  const version = options.version ?? installedMediasoupVersion();
  const cacheDir = options.cacheDir ?? (env.ARGUS_CACHE_DIR || path.join(os.homedir(), ".cache", "argus"));
  const root = path.join(cacheDir, "mediasoup-worker");
  let newest: { file: string; mtimeMs: number } | undefined;
  let entries: string[] = [];
  try {
    entries = readdirSync(root);
  } catch {
    // no cache yet
  }
  for (const entry of entries) {
    // <version>-<12 hex digits>; skips half-written "<...>.partial.<pid>" directories.
    if (!new RegExp(`^${version.replace(/\./g, "\\.")}-[0-9a-f]{12}$`).test(entry)) continue;
    const file = path.join(root, entry, "mediasoup-worker");
    if (!isExecutableFile(file)) continue;
    const { mtimeMs } = statSync(file);
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  if (newest) return newest.file;

  const envNote = fromEnv ? ` MEDIASOUP_WORKER_BIN=${fromEnv} is not an executable file.` : "";
  throw new MediasoupWorkerBinError(
    `No mediasoup-worker binary for mediasoup ${version}.${envNote} Build it once (~10 min on 2 cores, offline, ` +
      `with Debian packages) by running: sh ${BUILD_SCRIPT}  (npm start / npm test / npm run setup run it too). ` +
      `It installs the binary under ${root}/${version}-<hash>/.`,
  );
}
