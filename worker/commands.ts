// Executes server commands (SPEC W6) idempotently: a command id applied once is answered as a
// duplicate with the same result when the server re-sends it after a lost ack.
import type { Command, CommandAck } from "../protocol";
import type { CameraRunner } from "./cameras";

export interface CommandHost {
  cameras: CameraRunner;
  setMaintenance(on: boolean): void;
  requestShutdown(reason: string): void;
}

const REMEMBERED = 1000;

export class CommandExecutor {
  /** Results by command id, kept while running too, so concurrent re-deliveries are duplicates. */
  private readonly applied = new Map<string, Promise<{ ok: boolean; error?: string }>>();

  constructor(private readonly host: CommandHost) {}

  async execute(command: Command): Promise<CommandAck> {
    const previous = this.applied.get(command.commandId);
    if (previous) return { commandId: command.commandId, duplicate: true, ...(await previous) };
    const running = this.apply(command).then((error) => (error ? { ok: false, error } : { ok: true }));
    this.applied.set(command.commandId, running);
    if (this.applied.size > REMEMBERED) this.applied.delete(this.applied.keys().next().value!);
    return { commandId: command.commandId, duplicate: false, ...(await running) };
  }

  private async apply(command: Command): Promise<string | null> {
    switch (command.type) {
      case "ASSIGN_CAMERA":
        return this.host.cameras.assign(command.payload);
      case "RELEASE_CAMERA":
        await this.host.cameras.release(command.payload.cameraId);
        return null;
      case "START_PROCESSING":
        return this.host.cameras.setProcessing(command.payload.cameraId, true);
      case "STOP_PROCESSING":
        return this.host.cameras.setProcessing(command.payload.cameraId, false);
      case "SET_MAINTENANCE":
        this.host.setMaintenance(command.payload.on);
        return null;
      case "SHUTDOWN":
        this.host.requestShutdown(command.payload.reason);
        return null;
    }
  }
}
