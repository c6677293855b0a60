import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MediasoupWorkerBinError, resolveMediasoupWorkerBin } from "./mediasoup-worker-bin.server";

const dirs: string[] = [];
function tempCache(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "argus-msbin-"));
  dirs.push(dir);
  return dir;
}
function fakeBinary(file: string, mtimeSeconds: number, mode = 0o755): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, mode);
  utimesSync(file, mtimeSeconds, mtimeSeconds);
  return file;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("resolveMediasoupWorkerBin (O1)", () => {
  it("prefers MEDIASOUP_WORKER_BIN when it is an executable file", () => {
    const cacheDir = tempCache();
    const own = fakeBinary(path.join(cacheDir, "own", "mediasoup-worker"), 1000);
    fakeBinary(path.join(cacheDir, "mediasoup-worker", "3.27.1-0123456789ab", "mediasoup-worker"), 2000);
    expect(resolveMediasoupWorkerBin({ env: { MEDIASOUP_WORKER_BIN: own }, cacheDir, version: "3.27.1" })).toBe(own);
  });

  it("falls back to the newest cache entry of the same version, skipping partial builds and other versions", () => {
    const cacheDir = tempCache();
    const root = path.join(cacheDir, "mediasoup-worker");
    fakeBinary(path.join(root, "3.27.1-aaaaaaaaaaaa", "mediasoup-worker"), 1000);
    const newest = fakeBinary(path.join(root, "3.27.1-bbbbbbbbbbbb", "mediasoup-worker"), 2000);
    fakeBinary(path.join(root, "3.27.1-cccccccccccc.partial.42", "mediasoup-worker"), 3000);
    fakeBinary(path.join(root, "3.27.10-dddddddddddd", "mediasoup-worker"), 4000);
    fakeBinary(path.join(root, "3.27.1-eeeeeeeeeeee", "mediasoup-worker"), 5000, 0o644); // not executable
    const env = { MEDIASOUP_WORKER_BIN: "/nonexistent/mediasoup-worker-not-built-yet" };
    expect(resolveMediasoupWorkerBin({ env, cacheDir, version: "3.27.1" })).toBe(newest);
  });

  it("names the build script when there is no binary", () => {
    const cacheDir = tempCache();
    const resolve = () => resolveMediasoupWorkerBin({ env: {}, cacheDir, version: "3.27.1" });
    expect(resolve).toThrow(MediasoupWorkerBinError);
    expect(resolve).toThrow(/scripts\/mediasoup\/build-worker\.sh/);
  });
});
