// The workstation stage of a camera's pipeline (issue 13): between the counter and the publisher, it turns tracked
// people in workstation zones and crossings of output lines into the productivity module's events. Thin: the
// decisions are the pure functions of state-machine.ts; this keeps the previous analysed frame (for activity) and a
// memory per bound zone.
//
//   stage.update({ frame, objects, crossings, scene, stateDurationMs, minScore }): WorkstationEventBody[]
import type { NormalisedBox } from "../../protocol/events";
import {
  DEFAULT_WORKSTATION_THRESHOLDS,
  type Scene,
  type WorkstationThresholds,
  type Zone,
  type ZoneWorkstation,
} from "../../protocol/scene";
import type { CountEvent } from "../count/counter";
import type { RgbImage } from "../detect/detector";
import type { DetectionEventBody } from "../publish/envelope";
import { boxActivity } from "./activity";
import { boxOverlap } from "./overlap";
import { createStationMemory, stepStation, type StationMemory } from "./state-machine";

export type WorkstationEventBody = Extract<DetectionEventBody, { type: "workstation_state" | "workstation_output" }>;

export interface WorkstationObject {
  class: string;
  confidence: number;
  box: NormalisedBox;
  /** A prediction of the tracker, not an observation: counts for presence, not for activity. */
  coasting?: boolean;
}

export interface WorkstationInput {
  frame: RgbImage;
  nowMs: number;
  objects: WorkstationObject[];
  /** The counter's events of this frame (line crossings on bound lines become product output). */
  crossings: CountEvent[];
  scene: Scene;
  stateDurationMs: number;
  /** The lowest score the detector reports: nobody seen means every person score near the zone is below it. */
  minScore: number;
}

/** The thresholds a zone runs with: its own overrides over the defaults. */
export function thresholdsOf(binding: ZoneWorkstation): WorkstationThresholds {
  return { ...DEFAULT_WORKSTATION_THRESHOLDS, ...binding.thresholds };
}

/** True when the scene binds any zone to a workstation (only then is the previous frame kept). */
export function hasWorkstations(scene: Scene): boolean {
  return scene.zones.some((z) => z.workstation);
}

export class WorkstationStage {
  private previous: RgbImage | null = null;
  private readonly memories = new Map<string, { key: string; memory: StationMemory }>();

  update(input: WorkstationInput): WorkstationEventBody[] {
    const bound = input.scene.zones.filter((z): z is Zone & { workstation: ZoneWorkstation } => !!z.workstation);
    const events: WorkstationEventBody[] = [];
    const keep = new Set<string>();
    for (const zone of bound) {
      keep.add(zone.id);
      // A zone whose binding or shape changed starts over (its old state belonged to something else).
      const key = JSON.stringify([zone.workstation, zone.polygon]);
      let entry = this.memories.get(zone.id);
      if (!entry || entry.key !== key) {
        entry = { key, memory: createStationMemory(input.nowMs) };
        this.memories.set(zone.id, entry);
      }
      const thresholds = thresholdsOf(zone.workstation);
      const { memory, emit } = stepStation(
        entry.memory,
        this.observe(zone, thresholds, input),
        thresholds,
        input.stateDurationMs,
      );
      entry.memory = memory;
      if (emit)
        events.push({
          type: "workstation_state",
          zoneId: zone.id,
          workstationId: zone.workstation.workstationId,
          workerId: zone.workstation.workerId,
          ...emit,
        });
    }
    for (const id of [...this.memories.keys()]) if (!keep.has(id)) this.memories.delete(id);
    events.push(...productOutput(input.crossings, input.scene));
    this.previous = bound.length ? input.frame : null;
    return events;
  }

  /** Someone is at (or arriving at) a bound workstation: the camera must keep analysing at its full rate. */
  occupied(): boolean {
    for (const { memory } of this.memories.values())
      if (memory.presentSinceMs !== null || memory.state === "working" || memory.state === "idle") return true;
    return false;
  }

  /** Forget everything (the model or the stream changed): the next frames start fresh. */
  reset(): void {
    this.previous = null;
    this.memories.clear();
  }

  private observe(zone: Zone, t: WorkstationThresholds, input: WorkstationInput) {
    let person: { confidence: number; activity: number | null } | null = null;
    let nearest = 0;
    for (const o of input.objects) {
      if (o.class !== "person") continue;
      const overlap = boxOverlap(o.box, zone.polygon);
      if (overlap <= 0) continue;
      nearest = Math.max(nearest, o.confidence);
      if (overlap < t.minOverlap) continue;
      const activity =
        this.previous && !o.coasting ? boxActivity(this.previous, input.frame, o.box, t.pixelDelta) : null;
      // Several people in one zone: the most active one decides (someone working there makes it "working").
      if (!person || (activity ?? -1) > (person.activity ?? -1)) person = { confidence: o.confidence, activity };
    }
    return {
      nowMs: input.nowMs,
      person,
      absentConfidence: 1 - Math.max(nearest, input.minScore),
    };
  }
}

/** Crossings "in" of lines bound to a workstation, one output event per line and frame. */
export function productOutput(crossings: CountEvent[], scene: Scene): WorkstationEventBody[] {
  const out: WorkstationEventBody[] = [];
  for (const line of scene.lines) {
    if (!line.workstationId) continue;
    const zone = scene.zones.find((z) => z.workstation?.workstationId === line.workstationId);
    const counted = crossings.filter((c) => c.type === "line_crossing" && c.lineId === line.id && c.direction === "in");
    if (!zone?.workstation || !counted.length) continue;
    out.push({
      type: "workstation_output",
      lineId: line.id,
      workstationId: line.workstationId,
      workerId: zone.workstation.workerId,
      count: counted.length,
      confidence: Math.round(Math.min(...counted.map((c) => c.confidence)) * 10_000) / 10_000,
    });
  }
  return out;
}
