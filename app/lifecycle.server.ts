// A process's start order, recorded as it happens, so stop is its exact reverse by construction (issue 12 §3).
// server.ts starts each owner through `start(name, create, close)`; when a later step fails (say the HTTP port
// is taken after the database opened and the SFU spawned its mediasoup workers), the caller closes the stack
// and only what did start is undone, newest first. Owners follow one naming: `static async create()` and an
// idempotent `close()`; an owner whose create() throws cleans up its own half-start (Sfu.create,
// MediasoupService.create), so the stack only records owners that started.

/** A startup failure with a message meant for the operator (printed as is, without a stack). */
export class StartupError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "StartupError";
  }
}

/** The slice of pino the stack needs (tests pass a recorder). */
export interface LifecycleLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

interface Step {
  name: string;
  close: () => unknown;
}

export class StartupStack {
  private readonly steps: Step[] = [];
  private closing: Promise<void> | undefined;

  /** An aborted `signal` (SIGTERM during startup) makes the next `start` throw its reason instead of starting. */
  constructor(
    private readonly logger: LifecycleLogger,
    private readonly signal?: AbortSignal,
  ) {}

  /** Names of the started steps, oldest first. */
  get started(): readonly string[] {
    return this.steps.map((s) => s.name);
  }

  /** Runs `create` and records how to undo it. A `create` that throws records nothing (see above). */
  async start<T>(name: string, create: () => T | Promise<T>, close: (value: T) => unknown): Promise<T> {
    if (this.closing) throw new Error(`"${name}" was not started: the process is stopping`);
    this.signal?.throwIfAborted();
    const startedAt = performance.now();
    const value = await create();
    this.steps.push({ name, close: () => close(value) });
    this.logger.debug({ step: name, ms: Math.round(performance.now() - startedAt) }, "started");
    return value;
  }

  /** Records how to undo something already done (a listener, a timer) as the next step. */
  defer(name: string, close: () => unknown): void {
    if (this.closing) throw new Error(`"${name}" was not recorded: the process is stopping`);
    this.steps.push({ name, close });
    this.logger.debug({ step: name }, "started");
  }

  /**
   * Closes every recorded step, newest first, one at a time. A step that throws is logged and the rest still
   * close (a failed socket close must not leave the database open); the first error is rethrown at the end.
   * Idempotent: later calls return the first call's promise.
   */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    let firstError: unknown;
    for (const step of [...this.steps].reverse()) {
      const startedAt = performance.now();
      try {
        await step.close();
        this.logger.info({ step: step.name, ms: Math.round(performance.now() - startedAt) }, "stopped");
      } catch (error) {
        firstError ??= error;
        this.logger.error({ step: step.name, err: error }, "stop step failed; continuing");
      }
    }
    this.steps.length = 0;
    if (firstError !== undefined) throw firstError;
  }
}
