// Measuring recognition on labelled photos (issue 14: tests, bench/faces.ts, the defaults in protocol/faces.ts).
//   verification: cosine of every same-person pair (genuine) and different-person pair (impostor);
//   identification with margin (how the worker matches, D6): a probe is accepted as the best gallery person when
//   cosine >= threshold and it beats the second-best person by >= margin. Open-set false accepts are counted by
//   taking the probe's own person out of the gallery (an unknown face must stay unknown).
import { cosine } from "./embedder";

export interface Sample {
  person: string;
  /** The photograph it came from (augmented copies share it). */
  photo: string;
  /** "original" or an augmentation's name. */
  variant: string;
  embedding: Float32Array;
}

export interface PairScores {
  genuine: number[];
  impostor: number[];
}

/** Same person: every pair of samples of one person (augmentations and other photos). Different: every pair across
 * people. */
export function pairScores(samples: Sample[]): PairScores {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < samples.length; i++)
    for (let j = i + 1; j < samples.length; j++) {
      const s = cosine(samples[i]!.embedding, samples[j]!.embedding);
      (samples[i]!.person === samples[j]!.person ? genuine : impostor).push(s);
    }
  return { genuine, impostor };
}

export function summary(values: number[]): { n: number; min: number; mean: number; max: number; sd: number } {
  if (values.length === 0) return { n: 0, min: NaN, mean: NaN, max: NaN, sd: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { n: values.length, min: Math.min(...values), mean, max: Math.max(...values), sd };
}

/** d' = separation of the genuine and impostor distributions in pooled standard deviations. */
export function dPrime(p: PairScores): number {
  const g = summary(p.genuine);
  const i = summary(p.impostor);
  return (g.mean - i.mean) / Math.sqrt((g.sd ** 2 + i.sd ** 2) / 2);
}

export interface Decision {
  person: string | null;
  best: number;
  second: number;
}

/** The matching rule (D6): best person by max cosine over their embeddings, accepted with threshold and margin. */
export function identify(
  probe: Float32Array,
  gallery: Map<string, Float32Array[]>,
  threshold: number,
  margin: number,
): Decision {
  let bestPerson: string | null = null;
  let best = -1;
  let second = -1;
  for (const [person, embeddings] of gallery) {
    let s = -1;
    for (const e of embeddings) s = Math.max(s, cosine(probe, e));
    if (s > best) {
      second = best;
      best = s;
      bestPerson = person;
    } else if (s > second) second = s;
  }
  const accepted = bestPerson !== null && best >= threshold && best - Math.max(second, -1) >= margin;
  return { person: accepted ? bestPerson : null, best, second };
}

export interface Rates {
  threshold: number;
  margin: number;
  /** Known probes accepted as the right person. */
  tar: number;
  /** Known probes accepted as a wrong person. */
  wrong: number;
  /** Unknown probes (own person removed from the gallery) accepted as someone. */
  far: number;
  knownProbes: number;
  unknownProbes: number;
}

/**
 * Every sample is a probe twice. Known: against a gallery of every person's "original" samples except the probe
 * itself (an augmented probe meets its own original; an original meets the person's other photos, if any).
 * Unknown: the same probe with its whole person removed from the gallery (must not be accepted as anyone).
 */
export function identificationRates(samples: Sample[], threshold: number, margin: number): Rates {
  const originals = samples.filter((s) => s.variant === "original");
  let known = 0;
  let tar = 0;
  let wrong = 0;
  let unknown = 0;
  let far = 0;
  for (const probe of samples) {
    // Known: the gallery holds every original (the probe's own original too when the probe is an augmentation;
    // never the probe itself).
    const gallery = new Map<string, Float32Array[]>();
    for (const o of originals) {
      if (o === probe) continue;
      const list = gallery.get(o.person) ?? [];
      list.push(o.embedding);
      gallery.set(o.person, list);
    }
    if (gallery.has(probe.person)) {
      known++;
      const d = identify(probe.embedding, gallery, threshold, margin);
      if (d.person === probe.person) tar++;
      else if (d.person !== null) wrong++;
    }
    // Unknown: the same probe with its person taken out of the gallery.
    gallery.delete(probe.person);
    if (gallery.size > 1) {
      unknown++;
      if (identify(probe.embedding, gallery, threshold, margin).person !== null) far++;
    }
  }
  return {
    threshold,
    margin,
    tar: known ? tar / known : NaN,
    wrong: known ? wrong / known : NaN,
    far: unknown ? far / unknown : NaN,
    knownProbes: known,
    unknownProbes: unknown,
  };
}
