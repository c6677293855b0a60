// GET /vision-assets/wasm/<version>/<file> and /vision-assets/models/<sha16>/pose_landmarker_full.task: the on-device
// mode's MediaPipe runtime and model, served from Argus's own origin (issue 13 item 2; no CDN, no model hub), to
// whoever may open a publish page: a signed-in operator, or the holder of a live publish link (`?token=`).
import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireTenant } from "~/auth/guards.server";
import {
  POSE_MODEL_FILE,
  poseModel,
  tasksVisionPackage,
  WASM_FILES,
} from "~/components/on-device/vision-assets.server";
import { resolvePublishToken } from "~/models/publish-tokens.server";

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain" } });

async function requireAssetAccess(request: Request, context: LoaderFunctionArgs["context"]): Promise<void> {
  const token = new URL(request.url).searchParams.get("token");
  if (token !== null) {
    if (!(await resolvePublishToken(context.services.db, token)))
      throw new Response("This publish link is invalid or has been revoked.", { status: 401 });
    return;
  }
  if (!context.auth) throw new Response("Sign in or open a publish link", { status: 401 });
  await requireTenant(request, context, "operator");
}

/** The file a path names, or null: only the whitelisted wasm files of the installed version and the current model. */
function resolveAsset(splat: string): { file: string; type: string } | null {
  const [kind, tag, name, ...rest] = splat.split("/");
  if (rest.length || !name) return null;
  if (kind === "wasm") {
    const pkg = tasksVisionPackage();
    const type = WASM_FILES[name];
    return tag === pkg.version && type ? { file: path.join(pkg.dir, "wasm", name), type } : null;
  }
  if (kind === "models" && name === POSE_MODEL_FILE) {
    const model = poseModel();
    return model && tag === model.sha256.slice(0, 16) ? { file: model.file, type: "application/octet-stream" } : null;
  }
  return null;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const asset = resolveAsset(params["*"] ?? "");
  if (!asset) return notFound();
  await requireAssetAccess(request, context);
  const { size } = statSync(asset.file);
  const body = Readable.toWeb(createReadStream(asset.file)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "Content-Type": asset.type,
      "Content-Length": String(size),
      // The URL names the package version or the model's checksum: its bytes never change. Private: credentialed.
      "Cache-Control": "private, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
