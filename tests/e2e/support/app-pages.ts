// Every page of the signed-in app (issue 12: phone width, labels, accessibility), derived from the route files so a
// new app/routes/_app.*.tsx page is checked without anyone adding it here. Pages with ids get real ones.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { apiJson } from "./api";

const ROUTES_DIR = path.resolve(import.meta.dirname, "../../../app/routes");

/** "_app.cameras.$cameraId_.live.tsx" -> "/cameras/<cameraId>/live"; layouts and their index give one path. */
export function appPagePaths(ids: Record<string, unknown>): string[] {
  const paths = readdirSync(ROUTES_DIR)
    .filter((file) => file.startsWith("_app.") && file.endsWith(".tsx") && !file.includes(".test."))
    .map((file) => {
      const segments = file
        .slice("_app.".length, -".tsx".length)
        .split(".")
        .filter((segment) => segment !== "_index")
        .map((segment) => segment.replace(/_$/, ""))
        .map((segment) => {
          if (!segment.startsWith("$")) return segment;
          const id = ids[segment.slice(1)];
          if (typeof id !== "string") throw new Error(`no id given for ${segment} (route file ${file})`);
          return encodeURIComponent(id);
        });
      return `/${segments.join("/")}`;
    });
  return [...new Set(paths)].sort();
}

/** A camera, an RTSP camera that cannot be reached and the local worker, so pages show rows, errors and forms. */
export async function pageIds(page: Page, names: { camera: string; rtsp: string }) {
  const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
    name: names.camera,
    kind: "browser",
  });
  const { camera: rtsp } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
    name: names.rtsp,
    kind: "rtsp",
    rtspUrl: "rtsp://user:secret@127.0.0.1:9/stream",
  });
  const { workers } = await apiJson<{ workers: Array<{ id: string }> }>(page, "GET", "/api/v1/workers");
  if (!workers[0]) throw new Error("no worker registered (the local worker should be)");
  // Issue 14: a person of the staff directory for /staff/<personId>.
  const { person } = await apiJson<{ person: { id: string } }>(page, "POST", "/api/v1/staff", { name: names.camera });
  return { cameraId: camera.id, workerId: workers[0].id, personId: person.id, cameraIds: [camera.id, rtsp.id] };
}

export async function deleteCameras(page: Page, ids: string[]): Promise<void> {
  for (const id of ids) await page.request.delete(`/api/v1/cameras/${id}`);
}

/** Widths in CSS px: the document's scroll width against the viewport, and what sticks out past the right edge. */
export async function horizontalOverflow(page: Page) {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const offenders = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > viewport + 0.5 && e.getBoundingClientRect().width > 0)
      .filter((e) => !e.closest("[role=region], .overflow-x-auto, .overflow-hidden"))
      .slice(-5)
      .map((e) => `<${e.tagName.toLowerCase()} class="${String(e.getAttribute("class") ?? "").slice(0, 60)}">`);
    return { scrollWidth: document.documentElement.scrollWidth, viewport, offenders };
  });
}

/** ids used more than once on the page (a label's `for` then names only the first). */
export async function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const element of document.querySelectorAll("[id]")) seen.set(element.id, (seen.get(element.id) ?? 0) + 1);
    return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
  });
}
