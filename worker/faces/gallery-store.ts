// The face galleries this worker holds (SPEC D6, S1): the latest "v1:face-gallery" per gallery id (= tenant),
// decoded once into normalised Float32Arrays for the matcher. Embeddings only, in memory only (C6): a restart starts
// empty and the server sends them again on register.
//   - an older revision than the one held is ignored (messages may cross on a reconnect);
//   - enabled=false drops the people (recognition was turned off) but remembers the revision;
//   - a gallery from another embedder (model id/version) is not matched against: its embeddings live in another
//     space. That is logged once per gallery revision, not per frame.
import { decodeEmbedding, type FaceGallery } from "../../protocol/faces";
import type { Logger } from "../logger";
import { normalise, type MatchPerson } from "./matcher";

export interface HeldGallery {
  galleryId: string;
  revision: number;
  modelId: string;
  modelVersion: string;
  enabled: boolean;
  people: MatchPerson[];
}

export type ApplyOutcome = "applied" | "dropped" | "stale";

export class GalleryStore {
  private readonly galleries = new Map<string, HeldGallery>();
  private readonly warned = new Set<string>();

  constructor(private readonly logger: Pick<Logger, "info" | "warn">) {}

  /** Takes a parsed gallery message (faceGallerySchema). Throws nothing: an undecodable embedding is skipped. */
  apply(gallery: FaceGallery): ApplyOutcome {
    const held = this.galleries.get(gallery.galleryId);
    if (held && gallery.revision < held.revision) {
      this.logger.info(
        { galleryId: gallery.galleryId, revision: gallery.revision, held: held.revision },
        "ignoring an older face gallery",
      );
      return "stale";
    }
    const people: MatchPerson[] = [];
    let skipped = 0;
    if (gallery.enabled)
      for (const person of gallery.people) {
        const embeddings: Float32Array[] = [];
        for (const b64 of person.embeddings) {
          try {
            embeddings.push(normalise(decodeEmbedding(b64)));
          } catch {
            skipped += 1;
          }
        }
        if (embeddings.length) people.push({ personId: person.personId, name: person.name, embeddings });
      }
    this.galleries.set(gallery.galleryId, {
      galleryId: gallery.galleryId,
      revision: gallery.revision,
      modelId: gallery.modelId,
      modelVersion: gallery.modelVersion,
      enabled: gallery.enabled,
      people,
    });
    this.logger.info(
      {
        galleryId: gallery.galleryId,
        revision: gallery.revision,
        enabled: gallery.enabled,
        people: people.length,
        ...(skipped ? { skipped } : {}),
      },
      gallery.enabled ? "face gallery updated" : "face recognition turned off: gallery dropped",
    );
    return gallery.enabled ? "applied" : "dropped";
  }

  /** The gallery as held (also when disabled or from another embedder); undefined when none arrived. */
  get(galleryId: string): HeldGallery | undefined {
    return this.galleries.get(galleryId);
  }

  /**
   * The people to match against with this embedder, or null: no gallery yet, recognition off, or embeddings from
   * another model (logged once per gallery revision).
   */
  usable(galleryId: string, embedder: { id: string; version: string }): MatchPerson[] | null {
    const held = this.galleries.get(galleryId);
    if (!held?.enabled) return null;
    // An empty gallery (nobody enrolled yet) matches with any embedder: every face is simply unknown.
    if (held.people.length && (held.modelId !== embedder.id || held.modelVersion !== embedder.version)) {
      const key = `${galleryId}@${held.revision}`;
      if (!this.warned.has(key)) {
        this.warned.add(key);
        this.logger.warn(
          {
            galleryId,
            revision: held.revision,
            galleryModel: `${held.modelId}@${held.modelVersion}`,
            workerModel: `${embedder.id}@${embedder.version}`,
          },
          "face gallery comes from another embedder; not matching against it",
        );
      }
      return null;
    }
    return held.people;
  }

  get size(): number {
    return this.galleries.size;
  }
}
