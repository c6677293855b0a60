// Progress for the mediasoup worker build (issue 12 §2): reads ninja's output on stdin, appends every line to the
// build log, and turns ninja's own step counter ("[N/M] Compiling ...") into a percentage with an estimate of the
// time left. On a terminal it redraws one line; elsewhere (CI, a piped log) it prints a plain line every 10 %.
//
// Run by scripts/mediasoup/build-worker.sh with plain `node` (Node >= 22.18 strips the types itself), before
// node_modules may exist: so only node: built-ins here, and only erasable TypeScript (no enums, no parameter
// properties). Not part of the worker cache key: changing how progress looks does not rebuild the binary.
//
// usage: ninja ... 2>&1 | node build-progress.ts --log FILE [--label TEXT] [--expect SECONDS]

export interface Step {
  done: number;
  total: number;
}

/** ninja's default status prefix, "[%f/%t] " (build-worker.sh sets NINJA_STATUS to exactly that). */
const STEP_PATTERN = /^\[(\d+)\/(\d+)\]\s/;

/** The step counter at the start of a ninja status line, or null for any other line (warnings, "ninja: ..."). */
export function parseStep(line: string): Step | null {
  const match = STEP_PATTERN.exec(line);
  if (!match) return null;
  const done = Number(match[1]);
  const total = Number(match[2]);
  if (total <= 0 || done > total) return null;
  return { done, total };
}

export function percent(step: Step): number {
  return Math.floor((step.done * 100) / step.total);
}

/**
 * Seconds left. At the start the prior (`expectedTotalS`: this machine's last build, else the measured baseline) is
 * all there is; the observed rate takes over as steps finish (fully from a quarter of the steps), and at once when
 * the build has already run past the prior: on a busy machine (a shared 2-core box measured 56 min instead of 6.5)
 * the prior is plainly wrong by then, while ninja's steps advance at a steady pace.
 */
export function estimateRemainingSeconds(step: Step, elapsedS: number, expectedTotalS: number): number {
  const prior = Math.max(0, expectedTotalS - elapsedS);
  if (step.done === 0) return Math.round(prior);
  const observed = (elapsedS / step.done) * (step.total - step.done);
  const trust = Math.min(1, Math.max((4 * step.done) / step.total, elapsedS / Math.max(1, expectedTotalS)));
  return Math.max(0, Math.round(trust * observed + (1 - trust) * prior));
}

/** 75 -> "1:15", 3725 -> "62:05": short enough for one terminal line. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** "about 7 min" for the start of a build; whole minutes, at least one. */
export function describeEstimate(seconds: number): string {
  return `about ${Math.max(1, Math.round(seconds / 60))} min`;
}

export function renderProgress(label: string, step: Step, elapsedS: number, remainingS: number, barWidth = 20): string {
  const pct = percent(step);
  const filled = Math.round((pct / 100) * barWidth);
  const bar = `${"#".repeat(filled)}${"-".repeat(barWidth - filled)}`;
  const left = step.done === step.total ? "done" : `~${formatDuration(remainingS)} left`;
  return `${label} [${bar}] ${String(pct).padStart(3)}% (${step.done}/${step.total}), ${formatDuration(elapsedS)} elapsed, ${left}`;
}

/** Without a terminal one line per 10 % (and the last step): a CI log shows progress without 260 lines. */
export function crossesPlainMilestone(previous: Step | null, next: Step): boolean {
  if (next.done === next.total) return previous === null || previous.done !== next.done;
  const before = previous ? Math.floor(percent(previous) / 10) : -1;
  return Math.floor(percent(next) / 10) > before;
}

interface Options {
  log: string;
  label: string;
  expectS: number;
}

export function parseArgs(argv: string[]): Options {
  const options: Options = { log: "", label: "building", expectS: 390 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === "--log" && value) options.log = value;
    else if (argv[i] === "--label" && value) options.label = value;
    else if (argv[i] === "--expect" && value && Number(value) > 0) options.expectS = Number(value);
    else throw new Error(`unknown or incomplete argument: ${argv[i]}`);
    i++;
  }
  if (!options.log) throw new Error("--log FILE is required");
  return options;
}

async function main(): Promise<void> {
  const { createWriteStream } = await import("node:fs");
  const { createInterface } = await import("node:readline");
  const options = parseArgs(process.argv.slice(2));
  const log = createWriteStream(options.log, { flags: "a" });
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  let last: Step | null = null;
  const elapsed = () => (Date.now() - started) / 1000;

  const draw = () => {
    if (!last) return;
    const line = renderProgress(
      options.label,
      last,
      elapsed(),
      estimateRemainingSeconds(last, elapsed(), options.expectS),
    );
    const width = process.stderr.columns || 120;
    // \r + erase line: the same line is redrawn; cut to the terminal so it never wraps onto a new line.
    process.stderr.write(`\r\x1b[K${line.slice(0, width - 1)}`);
  };
  // One big file can take a minute; the elapsed time and the estimate keep moving meanwhile.
  const timer = tty ? setInterval(draw, 1000) : null;

  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    log.write(`${line}\n`);
    const step = parseStep(line);
    if (!step) continue;
    const previous = last;
    last = step;
    if (tty) draw();
    else if (crossesPlainMilestone(previous, step))
      process.stderr.write(
        `${renderProgress(options.label, step, elapsed(), estimateRemainingSeconds(step, elapsed(), options.expectS))}\n`,
      );
  }
  if (timer) clearInterval(timer);
  if (tty && last) process.stderr.write("\n");
  await new Promise((resolve) => log.end(resolve));
}

// Run as a script (not when a test imports it).
if (process.argv[1] && import.meta.url === (await import("node:url")).pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`build-progress: ${error instanceof Error ? error.message : String(error)}\n`);
    // Keep reading so ninja is never killed by a closed pipe; its exit status decides the build.
    process.stdin.resume();
    process.exitCode = 0;
  });
}
