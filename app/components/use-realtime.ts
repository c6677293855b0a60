import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";

// One browser socket per page load; it authenticates with the session cookie (realtime.server.ts).
let shared: Socket | undefined;
function getSocket(): Socket {
  if (!shared) {
    const socket = io({ transports: ["websocket", "polling"], withCredentials: true });
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

/** Subscribes to server events while mounted; returns whether the socket is connected. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useRealtime(handlers: Record<string, (payload: any) => void>): boolean {
  const [connected, setConnected] = useState(false);
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const socket = getSocket();
    const names = Object.keys(ref.current);
    const listeners = names.map((name) => [name, (payload: unknown) => ref.current[name]?.(payload)] as const);
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
