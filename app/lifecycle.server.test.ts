import { describe, expect, it } from "vitest";
import { StartupStack, type LifecycleLogger } from "./lifecycle.server";

function recorder() {
  const lines: Array<{ level: string; msg: string; step?: string }> = [];
  const log =
    (level: string) =>
    (obj: object, msg: string): void =>
      void lines.push({ level, msg, step: (obj as { step?: string }).step });
  const logger: LifecycleLogger = { info: log("info"), error: log("error"), debug: log("debug") };
  return { lines, logger };
}

describe("StartupStack (issue 12 §3)", () => {
  it("closes in the exact reverse of the start order, once, and logs each step", async () => {
    const { lines, logger } = recorder();
    const stack = new StartupStack(logger);
    const closed: string[] = [];
    for (const name of ["database", "jobs", "sfu", "listener"])
      await stack.start(
        name,
        async () => ({ name }),
        async (owner) => {
          await new Promise((resolve) => setTimeout(resolve, 1)); // closes are awaited one by one
          closed.push(owner.name);
        },
      );
    stack.defer("timer", () => closed.push("timer"));
    expect(stack.started).toEqual(["database", "jobs", "sfu", "listener", "timer"]);

    await Promise.all([stack.close(), stack.close()]);
    await stack.close();
    expect(closed).toEqual(["timer", "listener", "sfu", "jobs", "database"]);
    expect(lines.filter((l) => l.msg === "stopped").map((l) => l.step)).toEqual(closed);
    expect(stack.started).toEqual([]);
  });

  it("a failing start records nothing for itself; closing undoes only what started", async () => {
    const { logger } = recorder();
    const stack = new StartupStack(logger);
    const closed: string[] = [];
    await stack.start(
      "database",
      () => "db",
      () => void closed.push("database"),
    );
    await stack.start(
      "sfu",
      () => "sfu",
      () => void closed.push("sfu"),
    );
    const busy = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
    await expect(
      stack.start(
        "listener",
        () => Promise.reject(busy),
        () => void closed.push("listener"),
      ),
    ).rejects.toBe(busy);
    await stack.close();
    expect(closed).toEqual(["sfu", "database"]);
  });

  it("a step that fails to close is logged, the rest still close, and the first error is rethrown", async () => {
    const { lines, logger } = recorder();
    const stack = new StartupStack(logger);
    const closed: string[] = [];
    stack.defer("database", () => closed.push("database"));
    stack.defer("sockets", () => {
      throw new Error("socket close failed");
    });
    stack.defer("worker", () => closed.push("worker"));
    await expect(stack.close()).rejects.toThrow("socket close failed");
    expect(closed).toEqual(["worker", "database"]);
    expect(lines.find((l) => l.level === "error")).toMatchObject({ step: "sockets" });
  });

  it("refuses to start after close began, and stops starting once the signal aborts", async () => {
    const { logger } = recorder();
    const controller = new AbortController();
    const stack = new StartupStack(logger, controller.signal);
    let created = 0;
    await stack.start(
      "database",
      () => ++created,
      () => undefined,
    );
    controller.abort(new Error("startup interrupted by SIGTERM"));
    await expect(
      stack.start(
        "sfu",
        () => ++created,
        () => undefined,
      ),
    ).rejects.toThrow("interrupted by SIGTERM");
    expect(created).toBe(1);
    void stack.close();
    expect(() => stack.defer("late", () => undefined)).toThrow(/stopping/);
    await expect(
      stack.start(
        "late",
        () => ++created,
        () => undefined,
      ),
    ).rejects.toThrow(/stopping/);
    expect(created).toBe(1);
  });
});
