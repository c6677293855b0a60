// Drizzle applies only the journal entries whose `when` is newer than the newest migration a database has applied:
// entries written concurrently (issue 12/13/11 work added 0011-0015 side by side) must keep strictly increasing times
// and one SQL file each, or an upgraded database silently skips a migration.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = path.join(import.meta.dirname, "migrations");
const journal = JSON.parse(readFileSync(path.join(dir, "meta/_journal.json"), "utf8")) as {
  entries: Array<{ idx: number; when: number; tag: string }>;
};

describe("migration journal (T3, O2)", () => {
  it("numbers entries 0..n in order with strictly increasing times", () => {
    journal.entries.forEach((entry, i) => {
      expect(entry.idx, entry.tag).toBe(i);
      expect(entry.tag.startsWith(String(i).padStart(4, "0") + "_"), entry.tag).toBe(true);
      if (i > 0) expect(entry.when, entry.tag).toBeGreaterThan(journal.entries[i - 1]!.when);
    });
  });

  it("has one SQL file per entry and no SQL file without an entry", () => {
    for (const entry of journal.entries) expect(existsSync(path.join(dir, `${entry.tag}.sql`)), entry.tag).toBe(true);
    const tags = new Set(journal.entries.map((e) => e.tag));
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")))
      expect(tags.has(file.replace(/\.sql$/, "")), file).toBe(true);
  });
});
