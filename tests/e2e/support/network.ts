// C6 / self-hosting: pages must not reach anything but the Argus server (no CDNs, fonts, analytics, STUN).
import type { BrowserContext } from "@playwright/test";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Records every request the context's pages make that is not to a loopback address; call the result to read them. */
export function recordExternalRequests(context: BrowserContext): () => string[] {
  const external: string[] = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:" || url.protocol === "about:") return;
    if (!LOCAL_HOSTS.has(url.hostname)) external.push(`${request.method()} ${request.url()}`);
  });
  return () => [...external];
}
