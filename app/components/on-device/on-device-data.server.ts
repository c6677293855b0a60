// Loader data of the on-device mode for the two publish pages (issue 13 item 2): asset URLs, the per-event duration,
// and a scoped device key for the chosen worker and workstation. Signed-in operators choose the pair (query
// `worker`, `workstation`); a kiosk (publish link, no user) gets a key only for the pair an operator bound to the
// camera with a signed `binding` (device-keys.server.ts), so the link cannot be used to post for anyone else.
import type { Db } from "../../../db/client";
import { issueDeviceKey, signBinding, verifyBinding } from "../../models/productivity/device-keys.server";
import { listWorkers, listWorkstations } from "../../models/productivity/entities.server";
import { getSettings } from "../../models/productivity/settings.server";
import type { TenantScope } from "../../models/scope.server";
import { parseAnalysisMode, type OnDevicePageData } from "./on-device-controls";
import { visionAssetsFor } from "./vision-assets.server";

const param = (url: URL, name: string) => url.searchParams.get(name)?.trim() || null;

export async function sessionOnDeviceData(scope: TenantScope, cameraId: string, url: URL): Promise<OnDevicePageData> {
  const [workers, workstations, settings] = await Promise.all([
    listWorkers(scope),
    listWorkstations(scope),
    getSettings(scope),
  ]);
  const mode = parseAnalysisMode(param(url, "mode"));
  const workerId = workers.find((w) => w.worker_id === param(url, "worker"))?.worker_id ?? null;
  const workstationId =
    workstations.find((w) => w.workstation_id === param(url, "workstation"))?.workstation_id ?? null;
  const assets = visionAssetsFor();
  let deviceKey: string | null = null;
  let kioskQuery: string | null = null;
  if (assets && workerId && workstationId) {
    const pair = { tid: scope.tenantId, cam: cameraId, ws: workstationId, wk: workerId };
    deviceKey = (await issueDeviceKey(scope.db, { ...pair, via: "session", sub: scope.userId })).key;
    const query = new URLSearchParams({
      mode: mode === "video" ? "analyse" : mode,
      worker: workerId,
      workstation: workstationId,
      binding: await signBinding(scope.db, pair),
    });
    kioskQuery = `?${query}`;
  }
  return {
    assets,
    deviceKey,
    workerId,
    workstationId,
    stateDurationSeconds: settings.state_duration_seconds,
    mode,
    choices: {
      workers: workers.map((w) => ({ id: w.worker_id, name: w.name })),
      workstations: workstations.map((w) => ({ id: w.workstation_id, name: w.name })),
    },
    kioskQuery,
    problem: param(url, "worker") && !workerId ? "That worker does not exist in this tenant." : null,
  };
}

export async function kioskOnDeviceData(
  db: Db,
  link: { tokenId: string; cameraId: string; tenantId: string },
  token: string,
  url: URL,
): Promise<OnDevicePageData> {
  const settings = await getSettings({ db, tenantId: link.tenantId });
  const mode = parseAnalysisMode(param(url, "mode"));
  const workerId = param(url, "worker");
  const workstationId = param(url, "workstation");
  const binding = param(url, "binding");
  const assets = visionAssetsFor(token);
  const base = { assets, workerId, workstationId, stateDurationSeconds: settings.state_duration_seconds, mode };
  if (!workerId || !workstationId || !binding)
    return {
      ...base,
      deviceKey: null,
      problem:
        mode === "video"
          ? null
          : "This publish link is not bound to a worker and workstation: ask an operator for the link's on-device parameters.",
    };
  const pair = { tid: link.tenantId, cam: link.cameraId, ws: workstationId, wk: workerId };
  if (!(await verifyBinding(db, pair, binding)))
    return {
      ...base,
      deviceKey: null,
      problem: "The on-device parameters of this link are not valid for this camera.",
    };
  const deviceKey = assets ? (await issueDeviceKey(db, { ...pair, via: "publish", sub: link.tokenId })).key : null;
  return { ...base, deviceKey, problem: null };
}
