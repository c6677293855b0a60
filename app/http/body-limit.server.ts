// Request body limits on the bytes read, whatever the framing (issue 10 §2). A Content-Length over the limit
// is refused before anything is read; Node's parser never delivers more than a declared Content-Length. A
// `Transfer-Encoding: chunked` body has no length up front, so it is read here into memory up to the limit
// and refused with 413 the moment it passes it: nothing past limit + one chunk is read, the connection is
// closed, and the handler never sees a byte of it. Routes with their own larger limit (model uploads) stream
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

function tooLarge(res: Response, message: string): void {
  res.setHeader("Connection", "close");
  res.status(413).json({ error: "payload_too_large", message });
}

/** Declared lengths: refused before reading. */
export function declaredLengthLimit(options: BodyLimitOptions) {
  return (req: Request, res: Response, next: NextFunction) => {
    const length = Number(req.headers["content-length"] ?? 0);
    const exempt = options.exempt(req);
    const limit = exempt ? options.exemptMaxBytes : options.maxBytes;
    if (length > limit) {
      // Keep-alive clients would wait for us to read the body they are sending: close instead.
      res.on("finish", () => req.destroy());
      tooLarge(res, exempt ? options.exemptMessage : `Request bodies are limited to ${options.maxBytes} bytes`);
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
      req.pause();
      chunks.length = 0;
      res.on("finish", () => req.destroy());
      tooLarge(res, `Request bodies are limited to ${options.maxBytes} bytes (counted as read, chunked or not)`);
    };
    const onEnd = () => finish();
    req.on("data", onData).on("end", onEnd).on("error", finish);
  };
}
