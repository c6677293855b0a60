// Real photographs available offline for the face-model tests and bench/faces.ts (issue 14; docs/models.md says
// what they prove). They come from Debian's opencv-doc package (tutorial images and sample data, Apache-2.0/BSD
// with the OpenCV docs); nothing is copied into git. Several tutorial images are side-by-side panels: `region`
// cuts one panel out. Identities were labelled by looking at the images; only three people have more than one
// real photograph (Messi in two different photos, the calibration-board man seen by two stereo cameras, and one
// Yale face under four lightings), so "same person" is otherwise checked through augmentations (augment.ts).
import { existsSync, readFileSync } from "node:fs";
import { cropImage } from "./augment";
import { decodeImage } from "./decode-image";
import type { PixelRect, RgbImage } from "./types";

const HTML = "/usr/share/doc/opencv-doc/opencv4/html";
const DATA = "/usr/share/doc/opencv-doc/examples/data";

export interface OfflinePhoto {
  /** Short name for reports. */
  id: string;
  /** Identity label (same label = same person). */
  person: string;
  file: string;
  /** Panel of a composite image, in the file's pixels. */
  region?: PixelRect;
  note?: string;
}

export const OFFLINE_PHOTOS: OfflinePhoto[] = [
  { id: "messi5", person: "messi", file: `${DATA}/messi5.jpg`, note: "small face (~36 px) in a football photo" },
  {
    id: "messi-portrait",
    person: "messi",
    file: `${HTML}/inpaint_result.jpg`,
    region: [0, 168, 225, 337],
    note: "another photograph of Messi (the inpainting tutorial's restored panel)",
  },
  { id: "calib-left", person: "calib-man", file: `${DATA}/left06.jpg`, note: "grey stereo frame, head turned" },
  { id: "calib-right", person: "calib-man", file: `${DATA}/right06.jpg`, note: "the other stereo camera" },
  ...[0, 1, 2, 3].map((i) => ({
    id: `yale-${i + 1}`,
    person: "yale",
    file: `${HTML}/lbp_yale.jpg`,
    region: [i * 166, 0, i * 166 + 166, 190] as PixelRect,
    note: "Yale face database subject, one of four lightings",
  })),
  { id: "glasses", person: "glasses-man", file: `${HTML}/example.jpg`, region: [0, 0, 387, 580] },
  { id: "bisbal", person: "bisbal", file: `${HTML}/227943776_1.jpg` },
  { id: "goatee", person: "goatee-man", file: `${HTML}/230501201_1.jpg` },
  { id: "julia", person: "julia", file: `${HTML}/julia_facedetect_sample.jpg` },
  { id: "keira", person: "keira", file: `${HTML}/05.jpg`, region: [0, 0, 404, 512] },
  { id: "woman-12", person: "woman-12", file: `${HTML}/12.jpg`, region: [0, 0, 404, 512] },
  {
    id: "lena",
    person: "lena",
    file: `${HTML}/Basic_Linear_Transform_Tutorial_Result_big.jpg`,
    region: [0, 20, 200, 213],
  },
];

/** The photos whose files exist here (opencv-doc installed), and the missing files. */
export function availableOfflinePhotos(): { photos: OfflinePhoto[]; missing: string[] } {
  const photos = OFFLINE_PHOTOS.filter((p) => existsSync(p.file));
  const missing = [...new Set(OFFLINE_PHOTOS.filter((p) => !existsSync(p.file)).map((p) => p.file))];
  return { photos, missing };
}

export function loadOfflinePhoto(photo: OfflinePhoto): RgbImage {
  const img = decodeImage(readFileSync(photo.file));
  return photo.region ? cropImage(img, photo.region) : img;
}
