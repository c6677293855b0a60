import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * Returns a function that asks Remix to reload the page's data at most once every `everyMs`, however often it is
 * called: a burst of live events costs one loader call (the productivity dashboard and attendance pages).
 */
export function useThrottledRevalidate(everyMs: number): () => void {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(pending.current), []);
  return () => {
    if (pending.current) return;
    pending.current = setTimeout(
      () => {
        pending.current = undefined;
        last.current = Date.now();
        latest.current.revalidate();
      },
      Math.max(0, last.current + everyMs - Date.now()),
    );
  };
}
