// The REST/loader shape of a camera: its record plus where it runs (docs/workers.md).
import type { Camera } from "../models/cameras.server";
import { hasRole, type TenantScope } from "../models/scope.server";
import { redactUrl } from "../sfu/rtsp-ffmpeg.server";
import type { FleetManager } from "./fleet-manager.server";
import type { CameraFleetView } from "./views";

export interface CameraJson {
  id: string;
  name: string;
  kind: Camera["kind"];
  siteId: string | null;
  rtspUrl: string | null;
  analysisFps: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  placement: CameraFleetView | null;
}

/** An RTSP URL's credentials are shown to operators and admins only (they edit them); viewers get it redacted (C1). */
export async function cameraJson(fleet: FleetManager, camera: Camera, role: TenantScope["role"]): Promise<CameraJson> {
  return {
    id: camera.id,
    name: camera.name,
    kind: camera.kind,
    siteId: camera.siteId,
    rtspUrl: camera.rtspUrl && !hasRole(role, "operator") ? redactUrl(camera.rtspUrl) : camera.rtspUrl,
    analysisFps: camera.analysisFps,
    enabled: camera.enabled,
    createdAt: camera.createdAt.toISOString(),
    updatedAt: camera.updatedAt.toISOString(),
    placement: await fleet.cameraView(camera.id, camera.tenantId),
  };
}
