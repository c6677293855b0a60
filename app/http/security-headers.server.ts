// The web's usual protections on every response (issue 10 §3, ADR 0012): helmet sets CSP, frame, sniffing,
// referrer and cross-origin headers; this module adds what helmet leaves out (Permissions-Policy, HSTS only
// over HTTPS, a per-request CSP nonce and request id, Cache-Control: no-store on everything dynamic).
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

declare module "express-serve-static-core" {
  interface Request {
    requestId?: string;
  }
}

/**
 * Camera and microphone for this origin only (the publish page calls getUserMedia); everything else a
 * video-analytics console never needs is off.
 */
export const PERMISSIONS_POLICY = [
  "camera=(self)",
  "microphone=(self)",
  "display-capture=(self)",
  "fullscreen=(self)",
  "geolocation=()",
  "payment=()",
  "usb=()",
  "serial=()",
  "bluetooth=()",
  "midi=()",
  "accelerometer=()",
  "gyroscope=()",
  "magnetometer=()",
  "interest-cohort=()",
].join(", ");

export const HSTS = "max-age=31536000; includeSubDomains";

/** Request id and CSP nonce first, so every later middleware, the log and Remix see them. */
export function requestIdentity() {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers["x-request-id"];
    // A proxy's id is kept when it is short and plain; anything else is replaced (it is echoed and logged).
    req.requestId = typeof incoming === "string" && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("X-Request-Id", req.requestId);
    next();
  };
}

/**
 * helmet with a CSP that fits Argus: scripts from this origin plus Remix's inline scripts carrying this
 * request's nonce; fetch, socket.io (ws/wss to the same host) and WebRTC signalling to this origin only;
 * styles allow inline attributes (React renders `style=` for meters and overlays); no outside host at all.
 * frame-ancestors 'none': no page is meant to be framed, the kiosk publish page included (it runs full screen).
 */
export function securityHeaders(isSecure: (req: Request) => boolean) {
  const nonce = (_req: IncomingMessage, res: ServerResponse) =>
    `'nonce-${(res as unknown as Response).locals.cspNonce as string}'`;
  const sockets = (req: IncomingMessage) => {
    const host = req.headers.host;
    // 'self' covers same-origin ws: in current browsers; the explicit origin is for older ones.
    return host && /^[\w.:[\]-]+$/.test(host) ? `ws://${host} wss://${host}` : "'self'";
  };
  const base = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        // 'wasm-unsafe-eval': the publish page's on-device mode compiles MediaPipe's WebAssembly (served by Argus
        // itself, /vision-assets); it allows WebAssembly compilation only, not eval() of JavaScript.
        "script-src": ["'self'", "'wasm-unsafe-eval'", nonce],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", sockets],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "manifest-src": ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: "same-origin" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: false, // set below, only when the request came over HTTPS
    xFrameOptions: { action: "deny" },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    if (isSecure(req)) res.setHeader("Strict-Transport-Security", HSTS);
    base(req, res, next);
  };
}

/**
 * Cache-Control: no-store on every dynamic response (pages and APIs): API keys, worker credentials, publish
 * tokens and the token exchange are all in such responses, and a shared computer's cache must keep none of
 * them. A route that sets its own Cache-Control (e.g. the OpenAPI document) overrides this default.
 */
export function noStoreByDefault() {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  };
}

/** For socket.io's own HTTP answers (engine.io already sends Cache-Control: no-store for the handshake). */
export const SOCKET_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
};
