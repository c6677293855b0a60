// Face recognition accuracy and face-model latency (issue 14, D6; docs/models.md, ADR 0017).
//   npm run bench:faces -- [--dir <folder with one subfolder per person>] [--augment] [--threads 1,2]
//                          [--embedder faceres|mobilefacenet] [--crop box:1.7|rotate:1.7|eyes:0.3:0.42] [--runs 20]
//                          [--detector auto|back|front] [--latency-only]
// Samples: every JPEG/PNG under --dir (label = subfolder), or by default the offline opencv-doc photographs
// (worker/faces/offline-photos.ts) plus the augmentations of worker/faces/augment.ts (crop, scale, flip,
// brightness, tilt); --augment adds them to a --dir set too. Each sample goes through the analyzer's own path
// (decode, BlazeFace, crop, embedder); the best face of each image is used.
// Prints genuine/impostor cosine statistics and d', verification TAR/FAR over all pairs, and identification with
// margin (the worker's rule) at DEFAULT_FACE_SETTINGS and over a threshold and margin sweep; then the latency of
// the face detector (per call, a whole photo or person crop) and of the embedder (per face) at each thread count.
import { readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_FACE_SETTINGS } from "../protocol/faces";
import { AUGMENTATIONS, scaleImage } from "../worker/faces/augment";
import { decodeImage } from "../worker/faces/decode-image";
import { cosine, DEFAULT_CROP, type CropSpec } from "../worker/faces/embedder";
import { createFaceAnalyzer } from "../worker/faces/face-analyzer";
import { dPrime, identificationRates, pairScores, summary, type Sample } from "../worker/faces/face-eval";
import type { EmbedderSource } from "../worker/faces/face-models";
import { availableOfflinePhotos, loadOfflinePhoto } from "../worker/faces/offline-photos";
import type { FaceAnalyzer, FoundFace, RgbImage } from "../worker/faces/types";

const { values } = parseArgs({
  options: {
    dir: { type: "string" },
    augment: { type: "boolean" },
    threads: { type: "string", default: "1,2" },
    embedder: { type: "string" },
    crop: { type: "string" },
    detector: { type: "string" },
    "latency-only": { type: "boolean" },
    runs: { type: "string", default: "20" },
  },
});

function parseCrop(text?: string): CropSpec {
  if (!text) return DEFAULT_CROP;
  const [mode, a, b] = text.split(":");
  if (mode === "eyes") return { ...DEFAULT_CROP, mode, eyeDistance: Number(a), eyeY: Number(b) };
  if (mode === "box" || mode === "rotate") return { ...DEFAULT_CROP, mode, grow: Number(a) };
  throw new Error(`--crop ${text}: expected box:<grow>, rotate:<grow> or eyes:<eyeDistance>:<eyeY>`);
}

interface Labelled {
  person: string;
  photo: string;
  image: RgbImage;
}

function fromDir(dir: string): Labelled[] {
  const out: Labelled[] = [];
  for (const person of readdirSync(dir).sort()) {
    const pdir = path.join(dir, person);
    if (!statSync(pdir).isDirectory()) continue;
    for (const file of readdirSync(pdir).sort()) {
      if (!/\.(jpe?g|png)$/i.test(file)) continue;
      try {
        out.push({ person, photo: `${person}/${file}`, image: decodeImage(readFileSync(path.join(pdir, file))) });
      } catch (error) {
        console.log(`  skipped ${person}/${file}: ${(error as Error).message}`);
      }
    }
  }
  return out;
}

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "-");
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : "-");

async function collect(analyzer: FaceAnalyzer, set: Labelled[], augment: boolean) {
  const samples: Sample[] = [];
  let noFace = 0;
  for (const item of set) {
    const [face] = await analyzer.detect(item.image);
    if (!face) {
      noFace++;
      console.log(`  no face found in ${item.photo}`);
      continue;
    }
    samples.push({ ...item, variant: "original", embedding: await analyzer.embed(item.image, face) });
    if (!augment) continue;
    for (const aug of AUGMENTATIONS) {
      const img = aug.apply(item.image, face.box);
      const [f] = await analyzer.detect(img);
      if (!f) {
        noFace++;
        console.log(`  no face found in ${item.photo} after ${aug.name}`);
        continue;
      }
      samples.push({
        person: item.person,
        photo: item.photo,
        variant: aug.name,
        embedding: await analyzer.embed(img, f),
      });
    }
  }
  return { samples, noFace };
}

function report(samples: Sample[]) {
  const pairs = pairScores(samples);
  const g = summary(pairs.genuine);
  const i = summary(pairs.impostor);
  console.log(`\nsamples ${samples.length} (${new Set(samples.map((s) => s.person)).size} people)`);
  console.log(`same person  cosine: n ${g.n}  min ${fmt(g.min)}  mean ${fmt(g.mean)}  max ${fmt(g.max)}`);
  console.log(`other person cosine: n ${i.n}  min ${fmt(i.min)}  mean ${fmt(i.mean)}  max ${fmt(i.max)}`);
  console.log(`d' ${fmt(dPrime(pairs), 2)}`);
  // Worst cases, so a reader can look at them.
  const worstGenuine: [number, string][] = [];
  const worstImpostor: [number, string][] = [];
  for (let a = 0; a < samples.length; a++)
    for (let b = a + 1; b < samples.length; b++) {
      const s = cosine(samples[a]!.embedding, samples[b]!.embedding);
      const label = `${samples[a]!.photo}:${samples[a]!.variant} ~ ${samples[b]!.photo}:${samples[b]!.variant}`;
      (samples[a]!.person === samples[b]!.person ? worstGenuine : worstImpostor).push([s, label]);
    }
  worstGenuine.sort((x, y) => x[0] - y[0]);
  worstImpostor.sort((x, y) => y[0] - x[0]);
  console.log(
    "lowest same-person pairs:  ",
    worstGenuine
      .slice(0, 5)
      .map(([s, l]) => `${fmt(s, 2)} ${l}`)
      .join(" | "),
  );
  console.log(
    "highest other-person pairs:",
    worstImpostor
      .slice(0, 5)
      .map(([s, l]) => `${fmt(s, 2)} ${l}`)
      .join(" | "),
  );

  console.log("\nverification over all pairs (cosine >= threshold):");
  console.log("threshold  TAR      FAR");
  for (let t = 0.35; t <= 0.751; t += 0.05) {
    const tar = pairs.genuine.filter((s) => s >= t).length / Math.max(1, pairs.genuine.length);
    const far = pairs.impostor.filter((s) => s >= t).length / Math.max(1, pairs.impostor.length);
    console.log(`${fmt(t, 2).padEnd(10)} ${pct(tar).padEnd(8)} ${pct(far)}`);
  }
  const d = DEFAULT_FACE_SETTINGS;
  console.log(`\nidentification with margin (gallery = each person's original photos; unknown = own person removed):`);
  console.log("threshold margin  TAR      wrong    FAR(unknown accepted)  probes known/unknown");
  const row = (t: number, m: number) => {
    const r = identificationRates(samples, t, m);
    const mark = t === d.threshold && m === d.margin ? "  <- default" : "";
    console.log(
      `${fmt(t, 2).padEnd(9)} ${fmt(m, 2).padEnd(7)} ${pct(r.tar).padEnd(8)} ${pct(r.wrong).padEnd(8)} ${pct(r.far).padEnd(22)} ${r.knownProbes}/${r.unknownProbes}${mark}`,
    );
  };
  for (const t of [0.4, 0.45, 0.5, 0.55, 0.6, 0.65]) row(t, d.margin);
  for (const m of [0, 0.05, 0.1]) if (m !== d.margin) row(d.threshold, m);
  if (![0.4, 0.45, 0.5, 0.55, 0.6, 0.65].includes(d.threshold)) row(d.threshold, d.margin);
}

/** How small a face can be: photos with a face >= 80 px shrunk until the face is `px` wide, found again and
 * compared with the full-size embedding (evidence for DEFAULT_FACE_SETTINGS.minFacePx). */
async function sizeSweep(analyzer: FaceAnalyzer, set: Labelled[]) {
  const t = DEFAULT_FACE_SETTINGS.threshold;
  console.log(`
face size (photos with a face >= 80 px, shrunk): found, cosine to the full-size face, share >= ${t}`);
  console.log("face px  found   mean cos  min cos  >= threshold");
  const base: [RgbImage, FoundFace, Float32Array][] = [];
  for (const item of set) {
    const [f] = await analyzer.detect(item.image);
    if (f && f.box[2] - f.box[0] >= 80) base.push([item.image, f, await analyzer.embed(item.image, f)]);
  }
  for (const px of [20, 28, 36, 44, 56, 72]) {
    const cos: number[] = [];
    for (const [img, f, e] of base) {
      const small = scaleImage(img, px / (f.box[2] - f.box[0]));
      const [g] = await analyzer.detect(small);
      if (g) cos.push(cosine(e, await analyzer.embed(small, g)));
    }
    const s = summary(cos);
    const ok = cos.filter((c) => c >= t).length;
    console.log(
      `${String(px).padEnd(8)} ${`${cos.length}/${base.length}`.padEnd(7)} ${fmt(s.mean).padEnd(9)} ${fmt(s.min).padEnd(8)} ${ok}/${base.length}`,
    );
  }
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function latency(set: Labelled[], threadList: number[], runs: number, opts: object) {
  console.log(
    `\nlatency (median ms over ${runs} rounds; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}):`,
  );
  console.log("threads  detect/call (whole photo)  detect/call (person crop)  embed/face");
  for (const threads of threadList) {
    const analyzer = await createFaceAnalyzer({ ...opts, threads, detector: "back" }); // the camera path
    try {
      const faces: [RgbImage, FoundFace][] = [];
      for (const item of set.slice(0, 6)) {
        const [f] = await analyzer.detect(item.image);
        if (f) faces.push([item.image, f]);
      }
      const det: number[] = [];
      const detRegion: number[] = [];
      const emb: number[] = [];
      for (let r = 0; r < runs + 3; r++) {
        for (const [img, f] of faces) {
          const size = f.box[2] - f.box[0];
          const region: [number, number, number, number] = [
            f.box[0] - size,
            f.box[1] - size,
            f.box[2] + size,
            f.box[3] + size * 4,
          ];
          let t = performance.now();
          await analyzer.detect(img);
          const a = performance.now() - t;
          t = performance.now();
          await analyzer.detect(img, region);
          const b = performance.now() - t;
          t = performance.now();
          await analyzer.embed(img, f);
          const c = performance.now() - t;
          if (r >= 3) {
            det.push(a);
            detRegion.push(b);
            emb.push(c);
          }
        }
      }
      console.log(
        `${String(threads).padEnd(8)} ${fmt(median(det), 1).padEnd(26)} ${fmt(median(detRegion), 1).padEnd(26)} ${fmt(median(emb), 1)}`,
      );
    } finally {
      await analyzer.close();
    }
  }
}

async function main() {
  const crop = parseCrop(values.crop);
  const embedderId = values.embedder as EmbedderSource["id"] | undefined;
  const detector = values.detector as "back" | "front" | "auto" | undefined;
  const opts = { crop, embedderId, detector };
  let set: Labelled[];
  let augment = values.augment ?? false;
  if (values.dir) set = fromDir(values.dir);
  else {
    const { photos, missing } = availableOfflinePhotos();
    if (missing.length) console.log(`missing offline photos (install opencv-doc): ${missing.join(", ")}`);
    set = photos.map((p) => ({ person: p.person, photo: p.id, image: loadOfflinePhoto(p) }));
    augment = true;
  }
  if (set.length < 2) throw new Error("need at least two labelled images");
  const threads = (values.threads ?? "1,2")
    .split(",")
    .map(Number)
    .filter((n) => n > 0);
  if (values["latency-only"]) return latency(set, threads, Number(values.runs), opts);
  const analyzer = await createFaceAnalyzer(opts);
  console.log(
    `bench:faces  embedder ${analyzer.embedderId}@${analyzer.embedderVersion} (${analyzer.dimensions}-d)  images ${set.length}  augment ${augment}  defaults threshold ${DEFAULT_FACE_SETTINGS.threshold} margin ${DEFAULT_FACE_SETTINGS.margin}`,
  );
  try {
    const { samples, noFace } = await collect(analyzer, set, augment);
    if (noFace) console.log(`images without a face found: ${noFace}`);
    report(samples);
    await sizeSweep(analyzer, set);
  } finally {
    await analyzer.close();
  }
  if (threads.length) await latency(set, threads, Number(values.runs), opts); // --threads 0: accuracy only
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
