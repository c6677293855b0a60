import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  crossesPlainMilestone,
  describeEstimate,
  estimateRemainingSeconds,
  formatDuration,
  parseArgs,
  parseStep,
  percent,
  renderProgress,
} from "./build-progress";

describe("parseStep", () => {
  it("reads ninja's [N/M] counter", () => {
    expect(parseStep("[1/260] Compiling C++ object deps/libwebrtc/liblibwebrtc.a.p/rate_statistics.cc.o")).toEqual({
      done: 1,
      total: 260,
    });
    expect(parseStep("[260/260] Linking target mediasoup-worker")).toEqual({ done: 260, total: 260 });
  });

  it("ignores everything else ninja and the compiler print", () => {
    expect(parseStep("ninja: Entering directory `/tmp/build'")).toBeNull();
    expect(parseStep("../src/RTC/Foo.cpp:12:3: warning: unused variable [-Wunused-variable]")).toBeNull();
    expect(parseStep("  [3/4] indented")).toBeNull();
    expect(parseStep("[3/4]no space")).toBeNull();
    expect(parseStep("")).toBeNull();
  });

  it("rejects impossible counters", () => {
    expect(parseStep("[5/4] x")).toBeNull();
    expect(parseStep("[0/0] x")).toBeNull();
  });
});

describe("estimates", () => {
  it("trusts the prior at the start and the observed rate at the end", () => {
    // Nothing done: the prior minus what has passed.
    expect(estimateRemainingSeconds({ done: 0, total: 260 }, 30, 390)).toBe(360);
    // Almost done at twice the expected pace: the observed rate decides.
    const late = estimateRemainingSeconds({ done: 259, total: 260 }, 700, 390);
    expect(late).toBeGreaterThanOrEqual(2);
    expect(late).toBeLessThanOrEqual(4);
    // Half way, on schedule: both agree on about half the expected time.
    expect(estimateRemainingSeconds({ done: 130, total: 260 }, 195, 390)).toBe(195);
  });

  it("believes the observed pace once the build has run past the prior (a busy machine)", () => {
    // 26 of 260 steps after 400 s, with 390 s expected: 10x slower than planned, so ~3600 s to go, not ~0.
    expect(estimateRemainingSeconds({ done: 26, total: 260 }, 400, 390)).toBe(3600);
    // A quarter of the steps done: the observed pace alone, even when it is faster than the prior.
    expect(estimateRemainingSeconds({ done: 65, total: 260 }, 60, 390)).toBe(180);
  });

  it("never goes negative when the build runs over the prior", () => {
    expect(estimateRemainingSeconds({ done: 10, total: 260 }, 1000, 390)).toBeGreaterThan(0);
    expect(estimateRemainingSeconds({ done: 260, total: 260 }, 1000, 390)).toBe(0);
  });

  it("formats durations as m:ss and the start estimate in whole minutes", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(75)).toBe("1:15");
    expect(formatDuration(3725)).toBe("62:05");
    expect(describeEstimate(390)).toBe("about 7 min");
    expect(describeEstimate(10)).toBe("about 1 min");
  });
});

describe("rendering", () => {
  it("shows the bar, the percentage, the counter and the time left", () => {
    const line = renderProgress("compiling", { done: 130, total: 260 }, 185, 200, 10);
    expect(line).toBe("compiling [#####-----]  50% (130/260), 3:05 elapsed, ~3:20 left");
    expect(percent({ done: 259, total: 260 })).toBe(99);
    expect(renderProgress("compiling", { done: 260, total: 260 }, 400, 0, 4)).toContain(
      "[####] 100% (260/260), 6:40 elapsed, done",
    );
  });

  it("prints a plain line once per 10 % and for the last step", () => {
    const steps = Array.from({ length: 260 }, (_, i) => ({ done: i + 1, total: 260 }));
    let previous: { done: number; total: number } | null = null;
    let printed = 0;
    for (const step of steps) {
      if (crossesPlainMilestone(previous, step)) printed++;
      previous = step;
    }
    // 0 %, 10 %, ..., 90 % and the final 100 %.
    expect(printed).toBe(11);
  });

  it("rejects unknown arguments and requires a log", () => {
    expect(parseArgs(["--log", "/tmp/x", "--expect", "120", "--label", "compiling"])).toEqual({
      log: "/tmp/x",
      label: "compiling",
      expectS: 120,
    });
    expect(() => parseArgs(["--label", "x"])).toThrow(/--log/);
    expect(() => parseArgs(["--log", "/tmp/x", "--verbose"])).toThrow(/unknown/);
  });
});

describe("as a script (how build-worker.sh runs it, plain node, no tsx)", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "build-progress-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every line in the log and prints plain milestones without a terminal", () => {
    const log = path.join(dir, "build.log");
    const input = ["ninja: Entering directory `b'", ...Array.from({ length: 20 }, (_, i) => `[${i + 1}/20] cc ${i}.o`)];
    const result = execFileSync(
      process.execPath,
      [path.join(import.meta.dirname, "build-progress.ts"), "--log", log, "--label", "compiling", "--expect", "60"],
      { input: `${input.join("\n")}\n`, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] },
    );
    expect(result).toBe(""); // stdout stays free for build-worker.sh's path
    expect(readFileSync(log, "utf8")).toBe(`${input.join("\n")}\n`);
  });

  it("writes the milestones to stderr", () => {
    const log = path.join(dir, "build2.log");
    const input = Array.from({ length: 10 }, (_, i) => `[${i + 1}/10] cc ${i}.o`).join("\n");
    const script = path.join(import.meta.dirname, "build-progress.ts");
    const stderr = execFileSync(
      "bash",
      ["-c", `"${process.execPath}" "${script}" --log "${log}" --label compiling 2>&1 >/dev/null`],
      { input, encoding: "utf8" },
    );
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^compiling \[#+-*\]\s+10% \(1\/10\)/);
    expect(lines.at(-1)).toMatch(/100% \(10\/10\), \d+:\d\d elapsed, done$/);
  });
});
