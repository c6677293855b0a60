// Express -> Remix, as @remix-run/express does it, with three differences (issue 10 §1-§3):
// - a chunked body already read by boundedBody() is handed on from memory (the socket stream is spent);
// - a Cache-Control the route sets replaces the no-store default instead of being appended to it;
// - an /api/* answer that is still a non-JSON 5xx (an error outside any loader/action) becomes a logged JSON
//   500 with the request id.
// Not re-exported by the package index; pinned with @remix-run/express (2.17.5), typechecked on upgrade.
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import type { Logger } from "../logger.server";

export function remixHandler(options: {
  build: ServerBuild;
  mode: string;
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext;
  logger: Logger;
}) {
  const handle = createRequestHandler(options.build, options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      let request = createRemixRequest(req, res);
      if (req.bufferedBody) {
        const headers = new Headers(request.headers);
        headers.delete("transfer-encoding");
        headers.set("content-length", String(req.bufferedBody.length));
        request = new Request(request.url, {
          method: request.method,
          headers,
          signal: request.signal,
          body: new Uint8Array(req.bufferedBody),
        });
      }
      let response = await handle(request, options.getLoadContext(req, res));
      if (
        req.path.startsWith("/api/") &&
        response.status >= 500 &&
        !/json/i.test(response.headers.get("content-type") ?? "")
      ) {
        options.logger.error(
          { requestId: req.requestId, path: req.path, status: response.status },
          "non-JSON server error from an API route",
        );
        response = Response.json(
          { error: "internal", message: "Something went wrong; the error was logged", request_id: req.requestId },
          { status: 500 },
        );
      }
      if (response.headers.has("cache-control")) res.removeHeader("Cache-Control");
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}
