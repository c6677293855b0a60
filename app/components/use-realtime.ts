import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";

// One browser socket per page load; it authenticates with the session cookie (realtime.server.ts).
let shared: Socket | undefined;
function getSocket(): Socket {
  shared ??= io({ transports: ["websocket", "polling"], withCredentials: true });
  return shared;
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
