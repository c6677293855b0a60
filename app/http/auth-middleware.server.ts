// Express side of sessions (U1): resolve the cookie once per request, slide its expiry, and refuse
// anonymous requests before they reach Remix: 401 JSON for APIs, a redirect to /login for pages.
// Route loaders still guard themselves (requireUser etc.); this is the outer wall.
import type { NextFunction, Request, Response } from "express";
import type { Db } from "../../db/client";
import {
  readSessionToken,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  validateSessionToken,
} from "../auth/session.server";
import type { RequestAuth } from "../services.server";

// /__manifest is Remix route discovery (v3_lazyRouteDiscovery): it lists route modules, no data.
// /docs and /api/v1/openapi.json: the API reference and its OpenAPI document describe the API, they hold no data.
const PUBLIC_PATHS = new Set([
  "/login",
  "/healthz",
  "/readyz",
  "/metrics",
  "/favicon.ico",
  "/robots.txt",
  "/__manifest",
  "/docs",
  "/api/v1/openapi.json",
]);
// /publish/<token>: a kiosk's camera publish page (C2); the token itself is the credential.
// /vision-assets/: the on-device mode's MediaPipe files (issue 13); the route checks the session or `?token=` itself.
const PUBLIC_PREFIXES = ["/build/", "/assets/", "/socket.io/", "/publish/", "/vision-assets/"];

export function isPublicPath(path: string): boolean {
  return (
    PUBLIC_PATHS.has(path) ||
    PUBLIC_PATHS.has(path.replace(/\.data$/, "")) ||
    PUBLIC_PREFIXES.some((p) => path.startsWith(p))
  );
}

export function isSecureRequest(req: Request, cookieSecure: "auto" | "true" | "false"): boolean {
  if (cookieSecure !== "auto") return cookieSecure === "true";
  return req.secure;
}

declare module "express-serve-static-core" {
  interface Request {
    auth?: RequestAuth | null;
  }
}

export function authMiddleware(db: Db, options: { ttlDays: number; cookieSecure: "auto" | "true" | "false" }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith("/build/") || req.path.startsWith("/assets/")) return next();
    try {
      const secure = isSecureRequest(req, options.cookieSecure);
      const token = readSessionToken(req.headers.cookie);
      const result = token ? await validateSessionToken(db, token, options.ttlDays) : null;
      if (token && !result) res.append("Set-Cookie", serializeBlankSessionCookie(secure));
      if (token && result?.refreshed)
        res.append("Set-Cookie", serializeSessionCookie(token, result.session.expiresAt, secure));
      req.auth = result ? { session: result.session, user: result.user } : null;
      if (req.auth || isPublicPath(req.path)) return next();
      if (req.path.startsWith("/api/")) {
        // Bearer credentials (tenant API keys, later worker tokens) are checked by the route that accepts them.
        if (/^Bearer\s+\S+/i.test(req.headers.authorization ?? "")) return next();
        res.status(401).json({ error: "unauthorized", message: "Sign in or send valid credentials" });
        return;
      }
      // Remix data requests (*.data) are left to the route guards, which answer in Remix's format.
      if (req.path.endsWith(".data")) return next();
      if (req.method === "GET" || req.method === "HEAD") {
        const redirectTo = encodeURIComponent(req.originalUrl);
        res.redirect(302, `/login?redirectTo=${redirectTo}`);
        return;
      }
      res.status(401).type("text/plain").send("Sign in first");
    } catch (error) {
      next(error);
    }
  };
}

/**
 * Cross-site request check for unsafe methods: when the browser sends Origin, it must match Host.
 * SameSite=Lax already keeps the cookie off cross-site POSTs; this also covers same-site subdomains.
 */
export function originCheck() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const origin = req.headers.origin;
    if (!origin) return next(); // non-browser clients (scripts, workers) send none
    if (originHost(origin) === req.headers.host) return next();
    res.status(403).json({ error: "forbidden", message: "Cross-origin request refused" });
  };
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
