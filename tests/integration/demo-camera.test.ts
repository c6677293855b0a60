// What `npm start` gives a newcomer (SPEC O1, C1, C4): on the first start the server creates a demo camera that it
// plays from a clip, prints where to watch it next to the bootstrap admin, and its local worker pulls and decodes
// it. A second start on the same data keeps the one camera.
import { afterAll, describe, expect, it } from "vitest";
import { Client, type Json, waitUntil } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";

const data = makeDataDir("argus-demo-");
const env = { DEMO_CAMERA: "true", LOCAL_WORKER: "true", WORKER_HEARTBEAT_MS: "1000" };
let server: ServerProcess | null = null;

afterAll(async () => {
  await server?.stop();
  data.remove();
});

describe("the demo camera (O1)", () => {
  it("is created on the first start, goes live, and the local worker decodes it", async () => {
    server = await startServerProcess({ dataDir: data.dir, env });
    const printed = server.output().match(/\/cameras\/([0-9a-f-]{36})\/live/);
    expect(printed, "the console names the demo camera's live page").not.toBeNull();
    const client = new Client(server.url, await login(server.url));
    const cameras = await client.cameras();
    expect(cameras.map((c: Json) => [c.id, c.kind, c.name])).toEqual([[printed![1], "demo", "Demo camera"]]);

    await waitUntil(
      "the demo camera live",
      async () => (await client.cameras())[0]?.live?.status === "live",
      30_000,
      250,
    );
    const health = await waitUntil(
      "the local worker decoding it",
      async () => {
        const [worker] = await client.workers();
        const camera = worker?.cameras?.find((c: Json) => c.cameraId === printed![1]);
        return camera?.state === "streaming" && camera.frames > 5 ? camera : null;
      },
      60_000,
      500,
    );
    expect(health).toMatchObject({ width: 640, height: 480 });
    expect(health.change).toBeGreaterThan(0);
  });

  it("is not created again on the next start", async () => {
    expect(await server!.stop()).toBe(0);
    server = await startServerProcess({ dataDir: data.dir, env });
    expect(server.output()).not.toMatch(/Demo camera/);
    const client = new Client(server.url, await login(server.url));
    expect((await client.cameras()).length).toBe(1);
  });
});
