// BlazeFace SSD anchors (issue 14, D6), written here from MediaPipe's SsdAnchorsCalculator settings for the two
// short-range/full-range BlazeFace graphs: every anchor is a 1x1 (fixed size) box centred on a grid cell, so only
// the centres matter. Layers with the same stride share a grid and their anchors interleave per cell, which gives
//   front 128x128: strides [8, 16, 16, 16] -> 16x16x2 + 8x8x6 = 512 + 384 = 896 anchors
//   back  256x256: strides [16, 32, 32, 32] -> 16x16x2 + 8x8x6 = 512 + 384 = 896 anchors
// in the order the models' two score/regressor outputs are concatenated (row by row, cell by cell, anchor by anchor).

export interface AnchorSpec {
  /** Model input size (square). */
  inputSize: number;
  /** One stride per SSD layer (MediaPipe: num_layers = strides.length, 2 anchors per layer with aspect 1 + interp). */
  strides: number[];
  /** Anchors per layer (MediaPipe: aspect ratio 1.0 plus the interpolated scale = 2). */
  anchorsPerLayer?: number;
}

export const FRONT_ANCHORS: AnchorSpec = { inputSize: 128, strides: [8, 16, 16, 16] };
export const BACK_ANCHORS: AnchorSpec = { inputSize: 256, strides: [16, 32, 32, 32] };

/** Anchor centres as [x0, y0, x1, y1, ...] in 0..1 of the model input. */
export function generateAnchors(spec: AnchorSpec): Float32Array {
  const per = spec.anchorsPerLayer ?? 2;
  const out: number[] = [];
  let layer = 0;
  while (layer < spec.strides.length) {
    // Consecutive layers with the same stride share one grid (MediaPipe's "same stride" grouping).
    const stride = spec.strides[layer]!;
    let last = layer;
    while (last < spec.strides.length && spec.strides[last] === stride) last++;
    const count = (last - layer) * per;
    const cells = Math.ceil(spec.inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let k = 0; k < count; k++) out.push((x + 0.5) / cells, (y + 0.5) / cells);
      }
    }
    layer = last;
  }
  return Float32Array.from(out);
}
