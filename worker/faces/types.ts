// Issue 14 (D6, S1): the face-analysis contract shared by the worker's face stage and the server's enrolment.
// One implementation (worker/faces/face-analyzer.ts) runs the BlazeFace detector and the embedder with
// onnxruntime-node; the server computes enrolment embeddings with the very same code, so gallery and camera
// embeddings come from identical preprocessing. Pixels stay in memory (C6).

/** An RGB image in memory: width * height * 3 bytes, row-major (the worker's Frame layout). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A region of an image in pixels: [x1, y1, x2, y2]. */
export type PixelRect = [number, number, number, number];

export interface FaceQuality {
  /** Shorter side of the face box, pixels in the analysed image. */
  sizePx: number;
  /** Variance of the Laplacian of the face crop's luma (higher = sharper). */
  sharpness: number;
  /** 0..1: 1 = looking straight at the camera (from the eye/nose/mouth keypoints' symmetry). */
  frontal: number;
}

export interface FoundFace {
  /** Face box in the image's pixels. */
  box: PixelRect;
  /** Detector score 0..1. */
  score: number;
  /** BlazeFace's six keypoints in image pixels: right eye, left eye, nose tip, mouth, right ear, left ear. */
  keypoints: Array<[number, number]>;
  quality: FaceQuality;
}

export interface FaceAnalyzer {
  /** Model id and version of the embedder: galleries from another embedder are not comparable. */
  readonly embedderId: string;
  readonly embedderVersion: string;
  /** Embedding length (e.g. 1024). */
  readonly dimensions: number;
  /** Faces in the image (or only inside `region`, e.g. a person track's box), best first. */
  detect(image: RgbImage, region?: PixelRect): Promise<FoundFace[]>;
  /** The L2-normalised embedding of one found face (aligned crop from the same image). */
  embed(image: RgbImage, face: FoundFace): Promise<Float32Array>;
  close(): Promise<void>;
}
