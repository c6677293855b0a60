import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import type { BrowserEvents, BrowserRequests } from "~/components/realtime-events";

export type RealtimeSocket = Socket<BrowserEvents, BrowserRequests>;
/** Handlers by event name; each one's payload is typed by BrowserEvents. */
export type RealtimeHandlers = { [E in keyof BrowserEvents]?: BrowserEvents[E] };

// One browser socket per page load; it authenticates with the session cookie (realtime.server.ts).
let shared: RealtimeSocket | undefined;
export function getRealtimeSocket(): RealtimeSocket {
  if (!shared) {
    const socket: RealtimeSocket = io({ transports: ["websocket", "polling"], withCredentials: true });
    // The server drops sockets when sessions or memberships change; reconnecting re-authenticates
    // with the current cookie (and fails, staying closed, when the session is gone).
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 500);
    });
    shared = socket;
  }
  return shared;
}

/** Re-handshakes so the server puts this socket in the rooms of the now-active tenant. */
export function reconnectRealtime(): void {
  if (!shared) return;
  shared.disconnect();
  shared.connect();
}

/** Subscribes to server events while mounted (the latest handlers are called); returns whether the socket is connected. */
export function useRealtime(handlers: RealtimeHandlers): boolean {
  const [connected, setConnected] = useState(false);
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    // Untyped view for the generic loop: each listener forwards to the handler of its own name.
    const socket = getRealtimeSocket() as unknown as Socket;
    const names = Object.keys(ref.current) as Array<keyof BrowserEvents>;
    const listeners = names.map(
      (name) =>
        [
          name,
          (...args: unknown[]) => (ref.current[name] as ((...a: unknown[]) => void) | undefined)?.(...args),
        ] as const,
    );
    for (const [name, fn] of listeners) socket.on(name, fn);
    const onConnect = () => setConnected(true);
    const onDisconnect = () => setConnected(false);
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    setConnected(socket.connected);
    return () => {
      for (const [name, fn] of listeners) socket.off(name, fn);
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
    };
  }, []);
  return connected;
}
