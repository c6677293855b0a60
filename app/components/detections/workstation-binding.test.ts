// Scene editor bindings (issue 13): pure edits that keep the draft valid for the scene schema.
import { describe, expect, it } from "vitest";
import { sceneSchema, type Scene } from "../../../protocol/scene";
import { bindLine, bindZone, boundWorkstations } from "./workstation-binding";

const polygon = [
  { x: 0, y: 0 },
  { x: 1, y: 0 },
  { x: 1, y: 1 },
];
const scene: Scene = {
  lines: [{ id: "l", name: "Out", a: { x: 0, y: 0 }, b: { x: 1, y: 1 } }],
  zones: [{ id: "z", name: "Bench", polygon }],
};

describe("workstation bindings", () => {
  it("binds a zone and a line to its output, and the result is a valid scene", () => {
    const bound = bindLine(bindZone(scene, "z", { workstationId: "S1", workerId: "W1" }), "l", "S1");
    expect(bound.zones[0]!.workstation).toEqual({ workstationId: "S1", workerId: "W1" });
    expect(bound.lines[0]!.workstationId).toBe("S1");
    expect(boundWorkstations(bound)).toEqual(["S1"]);
    expect(sceneSchema.safeParse(bound).success).toBe(true);
  });

  it("unbinding the zone also unbinds the line that counted its output (else the scene would be refused)", () => {
    const bound = bindLine(bindZone(scene, "z", { workstationId: "S1", workerId: "W1" }), "l", "S1");
    const unbound = bindZone(bound, "z", null);
    expect(unbound.zones[0]).not.toHaveProperty("workstation");
    expect(unbound.lines[0]).not.toHaveProperty("workstationId");
    expect(sceneSchema.safeParse(unbound).success).toBe(true);
  });
});
