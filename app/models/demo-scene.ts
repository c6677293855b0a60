// The demo camera's scene (O1, D3): a counting line across the walkway of the clip it plays (opencv-doc's vtest.avi,
// people walking left and right along a campus path). Tests and benchmarks on that clip use the same line. No server
// imports: tests, benches and the bootstrap share it.
import type { Scene } from "../../protocol";

export const DEMO_SCENE: Scene = {
  lines: [{ id: "walkway", name: "Walkway", a: { x: 0.45, y: 0.28 }, b: { x: 0.45, y: 0.8 } }],
  zones: [],
};
