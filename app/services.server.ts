// What server.ts builds once and hands to every loader/action through Remix's load context.
import type { DatabaseHandle, Db } from "../db/client";
import type { RateLimiter } from "./auth/rate-limit.server";
import type { SessionRow, SessionUser } from "./auth/session.server";
import type { Config } from "./config.server";
import type { FleetManager } from "./fleet/fleet-manager.server";
import type { Logger } from "./logger.server";
import type { Realtime } from "./realtime.server";
import type { Sfu } from "./sfu/sfu.server";

export interface AppServices {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  db: Db;
  loginLimiter: RateLimiter;
  /** Failed sign-ins per client IP across emails (issue 10 §3): keyed by IP only, so other IPs are unaffected. */
  loginIpLimiter: RateLimiter;
  realtime: Realtime;
  /** Worker fleet: live worker state, assignments, commands, credentials (app/fleet). */
  fleet: FleetManager;
  /** Live video SFU: mediasoup workers, camera rooms, /sfu signalling (app/sfu). */
  sfu: Sfu;
  /** Signs the flash-message cookie; random per process (flashes live for one redirect). */
  flashSecret: string;
}

export interface RequestAuth {
  session: SessionRow;
  user: SessionUser;
}

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
  interface AppLoadContext {
    services: AppServices;
    /** Set by the session middleware in server.ts when the cookie holds a valid session. */
    auth: RequestAuth | null;
    clientIp: string;
    /** True when the request arrived over HTTPS (directly or via a trusted proxy). */
    secure: boolean;
    /** Per-request id (X-Request-Id), logged with every error so a JSON 500 can be traced. */
    requestId: string;
    /** CSP nonce for this document's inline scripts (app/http/security-headers.server.ts). */
    cspNonce: string;
  }
}
