// The FaceAnalyzer (worker/faces/types.ts; issue 14, S1 + D6): BlazeFace finds faces (in a whole image or inside a
// person track's box), the embedder turns one into an L2-normalised vector. The worker's face stage and the
// server's enrolment both create it here, so gallery and camera embeddings come from identical code and models.
// Sessions are onnxruntime-node's, shared per model file and thread count (worker/detect/onnx-session.ts).
// Models come from setup (scripts/models/build-face-models.ts); when they are missing this throws, saying so.
import * as ort from "onnxruntime-node";
import { builtinModelsDir } from "../detect/builtin-models";
import { acquireSession, type SharedSession } from "../detect/onnx-session";
import { BlazeFace, type BlazeFaceVariant, type PixelFace } from "./blazeface";
import { DEFAULT_CROP, Embedder, type CropSpec } from "./embedder";
import { DEFAULT_EMBEDDER_ID, faceModelPath, readFaceManifest, type EmbedderSource } from "./face-models";
import { faceQuality } from "./quality";
import type { FaceAnalyzer, FoundFace, PixelRect, RgbImage } from "./types";

interface LoggerLike {
  info(obj: object, msg?: string): void;
}

export interface FaceAnalyzerOptions {
  /** Where setup put the models (default ${ARGUS_CACHE_DIR:-~/.cache/argus}/models). */
  modelsDir?: string;
  /** onnxruntime intra-op threads per session (default 1: the worker runs many cameras). */
  threads?: number;
  logger?: LoggerLike;
  /** Which embedder (ADR 0017; default DEFAULT_EMBEDDER_ID). Galleries are only comparable within one. */
  embedderId?: EmbedderSource["id"];
  /**
   * Detector: "back" (BlazeFace full-range 256, for camera frames and person crops), "front" (short-range 128,
   * selfies), or "auto" (default): back, and front when back finds nothing in a whole image (close-up uploads).
   */
  detector?: BlazeFaceVariant | "auto";
  /** Smallest detector score kept (default 0.75; see docs/models.md for what scores false positives get). */
  minScore?: number;
  /** Embedding crop (default DEFAULT_CROP; bench/faces.ts compares modes). */
  crop?: CropSpec;
}

/** Default detector score floor: real faces in the offline photos score 0.76-0.98, fruit and text up to 0.69. */
export const DEFAULT_MIN_FACE_SCORE = 0.75;
/** Floor of the close-up fallback (front model, whole image, back model found nothing). */
export const CLOSE_UP_MIN_FACE_SCORE = 0.6;

export async function createFaceAnalyzer(opts: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
  const dir = opts.modelsDir ?? builtinModelsDir();
  const threads = opts.threads ?? 1;
  const manifest = readFaceManifest(dir);
  const embedderId = opts.embedderId ?? DEFAULT_EMBEDDER_ID;
  const source = manifest.embedders.find((e) => e.id === embedderId);
  if (!source) throw new Error(`face embedder ${embedderId} is not in ${dir}/faces.json: run 'npm run setup'`);
  const mode = opts.detector ?? "auto";
  const variants: BlazeFaceVariant[] = mode === "auto" ? ["back", "front"] : [mode];
  const minScore = opts.minScore ?? DEFAULT_MIN_FACE_SCORE;

  const held: SharedSession[] = [];
  try {
    const detectors = new Map<BlazeFaceVariant, BlazeFace>();
    for (const variant of variants) {
      const d = manifest.detectors.find((x) => x.variant === variant);
      if (!d) throw new Error(`face detector ${variant} is not in ${dir}/faces.json: run 'npm run setup'`);
      const s = await acquireSession(faceModelPath(d.file, dir), { threads });
      held.push(s);
      // The front model only runs on whole images where the back model found nothing: close-ups whose face
      // fills (or overflows) the frame, which it scores lower (0.62-0.73 on the Yale crops; docs/models.md).
      const floor = variant === "front" && mode === "auto" ? Math.min(minScore, CLOSE_UP_MIN_FACE_SCORE) : minScore;
      detectors.set(variant, new BlazeFace(ort, s.session, variant, floor));
    }
    const es = await acquireSession(faceModelPath(source.file, dir), { threads });
    held.push(es);
    const embedder = new Embedder(ort, es.session, source, opts.crop ?? DEFAULT_CROP);
    opts.logger?.info(
      { embedder: `${source.id}@${source.version}`, detector: mode, threads, minScore },
      "face analyzer ready",
    );
    return new OnnxFaceAnalyzer(detectors, mode, embedder, held);
  } catch (error) {
    await Promise.all(held.map((s) => s.release()));
    throw error;
  }
}

class OnnxFaceAnalyzer implements FaceAnalyzer {
  readonly embedderId: string;
  readonly embedderVersion: string;
  readonly dimensions: number;
  private closed = false;

  constructor(
    private readonly detectors: Map<BlazeFaceVariant, BlazeFace>,
    private readonly mode: BlazeFaceVariant | "auto",
    private readonly embedder: Embedder,
    private readonly sessions: SharedSession[],
  ) {
    this.embedderId = embedder.id;
    this.embedderVersion = embedder.version;
    this.dimensions = embedder.dimensions;
  }

  async detect(image: RgbImage, region?: PixelRect): Promise<FoundFace[]> {
    this.assertOpen();
    checkImage(image);
    const clipped = region ? clipRegion(region, image) : undefined;
    if (clipped === null) return [];
    const r = clipped;
    let faces: PixelFace[] = [];
    if (this.mode === "auto") {
      faces = await this.detectors.get("back")!.detect(image, r);
      if (faces.length === 0 && !r) faces = await this.detectors.get("front")!.detect(image);
    } else {
      faces = await this.detectors.get(this.mode)!.detect(image, r);
    }
    return faces.map((f) => ({ ...f, quality: faceQuality(image, f.box, f.keypoints) }));
  }

  async embed(image: RgbImage, face: FoundFace): Promise<Float32Array> {
    this.assertOpen();
    checkImage(image);
    return this.embedder.embed(image, face);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.sessions.map((s) => s.release()));
  }

  private assertOpen() {
    if (this.closed) throw new Error("the face analyzer is closed");
  }
}

function checkImage(image: RgbImage) {
  if (!(image.width > 0 && image.height > 0) || image.data.length < image.width * image.height * 3)
    throw new Error(`not an RGB image: ${image.width}x${image.height} with ${image.data.length} bytes`);
}

/** The region inside the image, or null when it has no area there. */
function clipRegion(region: PixelRect, image: RgbImage): PixelRect | null {
  const x1 = Math.max(0, region[0]);
  const y1 = Math.max(0, region[1]);
  const x2 = Math.min(image.width, region[2]);
  const y2 = Math.min(image.height, region[3]);
  return x2 - x1 >= 2 && y2 - y1 >= 2 ? [x1, y1, x2, y2] : null;
}
