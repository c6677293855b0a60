// Request body limits on the bytes read, whatever the framing (issue 10 §2). A Content-Length over the limit
// is refused before anything is read; Node's parser never delivers more than a declared Content-Length. A
// `Transfer-Encoding: chunked` body has no length up front, so it is read here into memory up to the limit
// and refused with 413 the moment it passes it: the handler never sees a byte of it, and what follows is
// dropped for at most a second or 4 MiB (so the client reads the 413 instead of a reset) before the
// connection is destroyed. Routes with their own larger limit (model uploads) stream
// and count for themselves.
import type { NextFunction, Request, Response } from "express";

declare module "express-serve-static-core" {
  interface Request {
    /** A chunked body read whole by boundedBody(); the Remix handler hands it on instead of the stream. */
    bufferedBody?: Buffer;
  }
}

export interface BodyLimitOptions {
  /** Bytes any request body may have. */
  maxBytes: number;
  /** Requests that stream their own body with their own limit (kept out of both checks). */
  exempt: (req: Request) => boolean;
  /** Limit and message for exempt requests with a declared Content-Length. */
  exemptMaxBytes: number;
  exemptMessage: string;
}

/** A refused body is drained (and dropped) up to this much after the 413, so the client reads the answer. */
const DRAIN_BYTES = 4 * 1024 * 1024;
/** A refused body with a declared length up to the limit plus this is drained whole (keep-alive survives). */
const DRAIN_DECLARED_BYTES = 16 * 1024 * 1024;
const DRAIN_MS = 1000;

/**
 * Answers 413. The refused body is never handed to anything, but it is not simply left unread: closing a socket
 * with unread input makes the kernel send a reset, which a client still writing sees instead of our answer. So,
 * like nginx's lingering close, what follows is drained and dropped: a declared length of at most the limit
 * plus DRAIN_DECLARED_BYTES whole (Node reads it for keep-alive anyway), anything bigger or unsized for at most
 * DRAIN_BYTES / DRAIN_MS, then the connection is destroyed.
 */
function tooLarge(req: Request, res: Response, message: string, declaredExcess?: number): void {
  const bounded = declaredExcess !== undefined && declaredExcess <= DRAIN_DECLARED_BYTES;
  if (declaredExcess !== undefined && !bounded) res.setHeader("Connection", "close");
  res.status(413).json({ error: "payload_too_large", message });
  if (bounded) return void req.resume(); // Content-Length bounds what is drained
  let drained = 0;
  const timer = setTimeout(() => req.destroy(), DRAIN_MS).unref();
  const stop = () => clearTimeout(timer);
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) req.destroy();
  });
  req.once("end", stop).once("close", stop);
  req.resume();
}

/** Declared lengths: refused before reading. */
export function declaredLengthLimit(options: BodyLimitOptions) {
  return (req: Request, res: Response, next: NextFunction) => {
    const length = Number(req.headers["content-length"] ?? 0);
    const exempt = options.exempt(req);
    const limit = exempt ? options.exemptMaxBytes : options.maxBytes;
    if (length > limit) {
      const message = exempt ? options.exemptMessage : `Request bodies are limited to ${options.maxBytes} bytes`;
      tooLarge(req, res, message, length - limit);
      return;
    }
    next();
  };
}

/** Chunked (or otherwise unsized) bodies: read up to the limit, then hand the buffer on or answer 413. */
export function boundedBody(options: BodyLimitOptions) {
  return (req: Request, res: Response, next: NextFunction) => {
    const unsized = req.headers["content-length"] === undefined && req.headers["transfer-encoding"] !== undefined;
    if (!unsized || options.exempt(req)) return next();
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      req.off("data", onData).off("end", onEnd).off("error", finish);
      if (error) return next(error);
      req.bufferedBody = Buffer.concat(chunks, bytes);
      next();
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= options.maxBytes) {
        chunks.push(chunk);
        return;
      }
      done = true;
      req.off("data", onData).off("end", onEnd).off("error", finish);
      chunks.length = 0;
      tooLarge(req, res, `Request bodies are limited to ${options.maxBytes} bytes (counted as read, chunked or not)`);
    };
    const onEnd = () => finish();
    req.on("data", onData).on("end", onEnd).on("error", finish);
  };
}
