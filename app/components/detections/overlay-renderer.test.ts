import { describe, expect, it } from "vitest";
import { CLASS_COLORS, KNOWN_COLOR, objectColor, objectLabel, UNKNOWN_COLOR } from "./overlay-renderer";

const person = {
  trackId: 7,
  class: "person",
  confidence: 0.91,
  box: [0.1, 0.1, 0.3, 0.9] as [number, number, number, number],
};

describe("live overlay colours and labels (C3, issue 14)", () => {
  it("draws a recognised track green with the person's name", () => {
    const object = { ...person, known: true, label: "Ada Lovelace" };
    expect(objectColor(object)).toBe(KNOWN_COLOR);
    expect(objectLabel(object)).toBe("Ada Lovelace (person) #7 91%");
  });

  it("draws an unknown face red, labelled unknown", () => {
    const object = { ...person, known: false, label: "unknown" };
    expect(objectColor(object)).toBe(UNKNOWN_COLOR);
    expect(objectLabel(object)).toBe("unknown (person) #7 91%");
  });

  it("draws a track nobody classified in its class colour, never green or red", () => {
    expect(objectColor(person)).toBe(CLASS_COLORS.person);
    expect(objectLabel(person)).toBe("person #7 91%");
    for (const color of Object.values(CLASS_COLORS)) expect([KNOWN_COLOR, UNKNOWN_COLOR]).not.toContain(color);
  });
});
