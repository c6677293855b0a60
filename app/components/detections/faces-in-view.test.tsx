// Issue 14 (C3, D6): the live page names whom the overlay shows green and counts the red faces, as text.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { LiveObject } from "../../../protocol/events";
import { FacesInViewList } from "./faces-in-view";
import { facesInView } from "./use-live-detections";

const person = (trackId: number, extra: Partial<LiveObject> = {}): LiveObject => ({
  trackId,
  class: "person",
  confidence: 0.8,
  box: [0.1, 0.1, 0.3, 0.6],
  ...extra,
});

describe("faces in view", () => {
  it("lists each recognised name once, sorted, and counts unknown faces; unclassified tracks are neither", () => {
    const faces = facesInView([
      person(1, { known: true, label: "Kai Reinholt" }),
      person(2, { known: false, label: "unknown" }),
      person(3),
      person(4, { known: true, label: "Ada Lovelace" }),
      person(5, { known: true, label: "Kai Reinholt" }),
      person(6, { known: false }),
      { ...person(7), class: "car" },
    ]);
    expect(faces).toEqual({ known: ["Ada Lovelace", "Kai Reinholt"], unknown: 2 });
    expect(facesInView([person(1), person(2)])).toEqual({ known: [], unknown: 0 });
  });

  it("renders the names as a labelled list and the unknown count in words", () => {
    const html = renderToStaticMarkup(<FacesInViewList faces={{ known: ["Kai Reinholt"], unknown: 1 }} />);
    expect(html).toContain('aria-label="Recognised now"');
    expect(html).toContain("Kai Reinholt");
    expect(html).toContain("1 unknown face");
    expect(renderToStaticMarkup(<FacesInViewList faces={{ known: [], unknown: 3 }} />)).toContain("3 unknown faces");
  });
});
