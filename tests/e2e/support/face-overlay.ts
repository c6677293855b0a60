// What the live view shows of face recognition (issue 14, C3): the overlay is a canvas, so a spec reads it two ways -
// the detections:live frames the page received over its socket (trackId, known, label: the data the renderer draws
// from), and the canvas's own pixels (green #16a34a boxes and labels for recognised tracks, red #dc2626 for
// unknown faces; the video is a separate element, so its colours never count).
import type { Page } from "@playwright/test";
import type { LiveObject } from "../../../protocol/events";

export interface LiveFrames {
  /** Objects of the frames received for the camera so far. */
  objects(cameraId: string): LiveObject[];
}

/** Records every detections:live frame the page receives over socket.io (websocket transport) from now on. */
export function recordLiveFrames(page: Page): LiveFrames {
  const byCamera = new Map<string, LiveObject[]>();
  page.on("websocket", (ws) =>
    ws.on("framereceived", ({ payload }) => {
      // socket.io event packets: 42["event", data]
      if (typeof payload !== "string" || !payload.startsWith('42["detections:live"')) return;
      const [, frame] = JSON.parse(payload.slice(2)) as [string, { cameraId: string; objects: LiveObject[] }];
      const list = byCamera.get(frame.cameraId) ?? [];
      list.push(...frame.objects);
      byCamera.set(frame.cameraId, list.slice(-5000));
    }),
  );
  return { objects: (cameraId) => byCamera.get(cameraId) ?? [] };
}

/** Opaque pixels of the (first) detection overlay canvas in the recognised green and the unknown red. */
export async function overlayColourPixels(page: Page): Promise<{ green: number; red: number }> {
  return page
    .getByTestId("detection-overlay")
    .first()
    .evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      const ctx = canvas.getContext("2d");
      if (!ctx || canvas.width === 0 || canvas.height === 0) return { green: 0, red: 0 };
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const near = (i: number, r: number, g: number, b: number) =>
        Math.abs(data[i]! - r) < 12 && Math.abs(data[i + 1]! - g) < 12 && Math.abs(data[i + 2]! - b) < 12;
      let green = 0;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3]! < 200) continue;
        if (near(i, 0x16, 0xa3, 0x4a)) green += 1;
        else if (near(i, 0xdc, 0x26, 0x26)) red += 1;
      }
      return { green, red };
    });
}
