// Clears a create form once its fetcher finishes without an error: the redirect that follows a
// success re-renders the page but keeps uncontrolled inputs, so the old values would linger.
import { useEffect, useRef } from "react";

export function useResetOnSuccess(fetcher: { state: string; data?: unknown }) {
  const formRef = useRef<HTMLFormElement>(null);
  const wasBusy = useRef(false);
  useEffect(() => {
    if (fetcher.state !== "idle") {
      wasBusy.current = true;
      return;
    }
    const failed = Boolean(
      fetcher.data && typeof fetcher.data === "object" && ("error" in fetcher.data || "fieldErrors" in fetcher.data),
    );
    if (wasBusy.current && !failed) formRef.current?.reset();
    wasBusy.current = false;
  }, [fetcher.state, fetcher.data]);
  return formRef;
}
