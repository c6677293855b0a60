// CSV export of the VCC dashboard (V5): exactly the buckets of a VccResult, one line per bucket: its start in the
// query's time zone as local ISO 8601 with the offset, then each class (most counted first), in, out, total.
// Pure (no server imports); the route streams the lines.
import { tzOffsetMinutes } from "./params";
import type { VccResult } from "./types";

/** 2026-03-29T03:00:00+02:00 for 2026-03-29T01:00:00Z in Europe/Berlin. */
export function localIsoWithOffset(ms: number, tz: string): string {
  const offset = tzOffsetMinutes(tz, ms);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? "-" : "+";
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

function cell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function vccCsvHeader(result: VccResult): string {
  return ["bucket_start", ...result.classes, "in", "out", "total"].map(cell).join(",") + "\r\n";
}

/** The CSV lines (header first) of the result, generated lazily so a large range streams. */
export function* vccCsvLines(result: VccResult): Generator<string> {
  yield vccCsvHeader(result);
  for (let i = 0; i < result.buckets.length; i++) {
    const perClass = result.classes.map((c) => result.byClass[c][i]);
    const total = perClass.reduce((a, b) => a + b, 0);
    const when = localIsoWithOffset(Date.parse(result.buckets[i]), result.query.tz);
    yield [when, ...perClass, result.direction.in[i], result.direction.out[i], total].join(",") + "\r\n";
  }
}

/** A ReadableStream of the CSV, in chunks of `linesPerChunk` lines. */
export function vccCsvStream(result: VccResult, linesPerChunk = 500): ReadableStream<Uint8Array> {
  const lines = vccCsvLines(result);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let chunk = "";
      for (let i = 0; i < linesPerChunk; i++) {
        const next = lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

/** argus-vcc-2026-03-29T00-00Z-1h-Europe_Berlin.csv */
export function vccCsvFilename(result: VccResult): string {
  const start = (result.range?.start ?? result.query.startTime).slice(0, 16).replace(/:/g, "-");
  return `argus-vcc-${start}Z-${result.query.bucket}-${result.query.tz.replace(/[^A-Za-z0-9]+/g, "_")}.csv`;
}
