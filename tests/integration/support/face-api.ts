// The staff / faces / attendance API as the face chain test uses it (issue 14, S1): one place that knows the routes
// and response shapes (docs/staff.md), so the test reads as the story it checks.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { Client, Json } from "../fleet-support";

export class FaceApi {
  constructor(
    private readonly client: Client,
    readonly cookie: string,
  ) {}

  async createPerson(person: { name: string; employeeNumber?: string }): Promise<Json> {
    const res = await this.client.call("POST", "/api/v1/staff", person);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.person;
  }

  /** Uploads an enrolment image (multipart, field "file"); the answer is checked by the caller. */
  async uploadImage(personId: string, file: string): Promise<{ status: number; body: Json }> {
    const form = new FormData();
    const mime = file.endsWith(".png") ? "image/png" : "image/jpeg";
    form.append("file", new Blob([new Uint8Array(readFileSync(file))], { type: mime }), path.basename(file));
    const res = await fetch(`${this.client.url}/api/v1/staff/${personId}/images`, {
      method: "POST",
      headers: { cookie: this.cookie },
      body: form,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  imageOf(body: Json): { id: string; quality: { sizePx: number; sharpness: number; frontal: number } } {
    return body.image;
  }

  async settings(): Promise<Json> {
    const res = await this.client.call("GET", "/api/v1/staff/settings");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.settings;
  }

  async setEnabled(enabled: boolean): Promise<void> {
    const res = await this.client.call("PATCH", "/api/v1/staff/settings", { enabled });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** The tenant's stored face events, oldest first. */
  async events(): Promise<Json[]> {
    const res = await this.client.call("GET", "/api/v1/face-events?limit=5000");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.events;
  }

  /** Attendance rows of one day (the tenant's timezone). */
  async attendance(day: string): Promise<Json[]> {
    const res = await this.client.call("GET", `/api/v1/attendance?from=${day}&to=${day}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.attendance;
  }
}
