// Live video resilience (SPEC C2, C3, C4; issue "Live video" resilience): a publisher, a viewer and the local worker
// pulling the camera recover on their own when the camera's mediasoup worker is SIGKILLed and when the whole server
// restarts. This spec runs its own server
// process (so it can kill and restart it) on a free port and a temporary DATA_DIR, next to Playwright's.
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../../playwright.config";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  freePort,
  makeDataDir,
  startServerProcess,
  type ServerProcess,
} from "../integration/support/server-process";
import { apiJson } from "./support/api";
import { signIn } from "./support/auth";
import { ensureFakeCameraClip, fakeCameraArgs } from "./support/fake-camera";
import { expectFramesFlowing, expectWorkerDecoding, recordStatuses, startPublishing } from "./support/live";

const clip = ensureFakeCameraClip();
test.use({
  launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(clip.file)] },
});

/** The server's mediasoup worker processes (its direct children named mediasoup-worker). */
function mediasoupWorkerPids(serverPid: number): number[] {
  const out = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(serverPid)], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => comm?.startsWith("mediasoup-work"))
    .map(([pid]) => Number(pid));
}

test("publisher and viewer recover after a mediasoup worker is killed and after a server restart", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const data = makeDataDir("argus-e2e-live-");
  const port = await freePort();
  const env = { LOG_LEVEL: "warn", SFU_WORKERS: "1", LOCAL_WORKER: "true", WORKER_HEARTBEAT_MS: "1000" };
  let server: ServerProcess | null = await startServerProcess({ dataDir: data.dir, port, env, timeoutMs: 90_000 });
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: "Resilient webcam",
      kind: "browser",
    });
    const publisher = await context.newPage();
    await startPublishing(publisher, camera.id);
    const viewer = page;
    await viewer.goto(`/cameras/${camera.id}/live`);
    await expectFramesFlowing(viewer);
    const workerPage = await context.newPage();
    await expectWorkerDecoding(workerPage, camera.id);

    // 1. The camera's mediasoup worker dies: it is restarted, publisher and viewer set up again on it.
    const pids = mediasoupWorkerPids(server.child.pid!);
    expect(pids).toHaveLength(1);
    const viewerStatuses = await recordStatuses(viewer);
    const publisherStatuses = await recordStatuses(publisher);
    process.kill(pids[0]!, "SIGKILL");
    await expect.poll(viewerStatuses, { timeout: 30_000 }).toContain("reconnecting");
    await expect.poll(publisherStatuses, { timeout: 30_000 }).toContain("reconnecting");
    await expect(publisher.getByTestId("live-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });
    await expectFramesFlowing(viewer);
    const restarted = mediasoupWorkerPids(server.child.pid!);
    expect(restarted).toHaveLength(1);
    expect(restarted[0]).not.toBe(pids[0]);
    await expectWorkerDecoding(workerPage, camera.id); // the worker subscribed again on the new router

    // 2. The whole server restarts on the same port and data: both pages come back by themselves.
    const viewerStatuses2 = await recordStatuses(viewer);
    await server.stop();
    await expect.poll(viewerStatuses2, { timeout: 30_000 }).toContain("reconnecting");
    server = await startServerProcess({ dataDir: data.dir, port, env, timeoutMs: 90_000 });
    await expect(publisher.getByTestId("live-status")).toHaveAttribute("data-status", "live", { timeout: 60_000 });
    await expectFramesFlowing(viewer);
    await expectWorkerDecoding(workerPage, camera.id); // a new local worker process, the camera assigned again
  } finally {
    await context.close();
    await server?.stop();
    data.remove();
  }
});
