// The REST/loader shape of a camera: its record plus where it runs (docs/workers.md).
import type { Camera } from "../models/cameras.server";
import type { FleetManager } from "./fleet-manager.server";
import type { CameraFleetView } from "./views";

export interface CameraJson {
  id: string;
  name: string;
  kind: "browser" | "rtsp";
  siteId: string | null;
  rtspUrl: string | null;
  analysisFps: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  placement: CameraFleetView | null;
}

export async function cameraJson(fleet: FleetManager, camera: Camera): Promise<CameraJson> {
  return {
    id: camera.id,
    name: camera.name,
    kind: camera.kind,
    siteId: camera.siteId,
    rtspUrl: camera.rtspUrl,
    analysisFps: camera.analysisFps,
    enabled: camera.enabled,
    createdAt: camera.createdAt.toISOString(),
    updatedAt: camera.updatedAt.toISOString(),
    placement: await fleet.cameraView(camera.id, camera.tenantId),
  };
}
