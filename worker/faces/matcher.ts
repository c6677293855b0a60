// Matching a face embedding against a tenant's gallery (SPEC D6, S1): pure. A person's score is the best cosine
// similarity over all their enrolled embeddings (several images per person cover pose and light); the face is
// recognised as the best person only when that score reaches the threshold AND beats the second-best person by the
// margin, so two similar-looking staff members never swap names on a close call (it stays "unknown" instead).

export interface MatchPerson {
  personId: string;
  name: string;
  /** L2-normalised (the gallery store normalises on decode), all of one length. */
  embeddings: Float32Array[];
}

export interface MatchOptions {
  threshold: number;
  margin: number;
}

export interface MatchResult {
  /** The best person when recognised, else null. */
  person: { personId: string; name: string } | null;
  /** The best person's similarity (null: empty gallery). */
  similarity: number | null;
  /** Best minus second-best person's similarity; 1 when the gallery has one person (nothing to confuse it with). */
  margin: number;
}

/** L2-normalises a copy (a zero vector stays zero). */
export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (n === 0) return out;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function matchFace(embedding: Float32Array, people: readonly MatchPerson[], o: MatchOptions): MatchResult {
  const query = normalise(embedding);
  let best: MatchPerson | null = null;
  let bestScore = -Infinity;
  let secondScore = -Infinity;
  for (const person of people) {
    let score = -Infinity;
    for (const e of person.embeddings) {
      if (e.length !== query.length) continue;
      const s = dot(query, e);
      if (s > score) score = s;
    }
    if (score === -Infinity) continue;
    if (score > bestScore) {
      secondScore = bestScore;
      bestScore = score;
      best = person;
    } else if (score > secondScore) secondScore = score;
  }
  if (!best) return { person: null, similarity: null, margin: 0 };
  const margin = secondScore === -Infinity ? 1 : bestScore - secondScore;
  const recognised = bestScore >= o.threshold && margin >= o.margin;
  return {
    person: recognised ? { personId: best.personId, name: best.name } : null,
    similarity: bestScore,
    margin,
  };
}
