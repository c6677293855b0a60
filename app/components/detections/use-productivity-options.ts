// The tenant's productivity workstations and workers for the scene editor's binding selects (issue 13), loaded from
// the session-guarded factory API when the editor opens; null while loading or when they cannot be read.
import { useEffect, useState } from "react";
import type { ProductivityOptions } from "./workstation-binding";

export function useProductivityOptions(enabled: boolean): ProductivityOptions | null {
  const [options, setOptions] = useState<ProductivityOptions | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const get = async (path: string) => {
      const res = await fetch(path, { signal: controller.signal, headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
      return res.json();
    };
    Promise.all([get("/api/v1/factory/workstations"), get("/api/v1/factory/workers")])
      .then(([s, w]) => setOptions({ workstations: s.workstations ?? [], workers: w.workers ?? [] }))
      .catch(() => undefined); // no productivity access: the editor simply offers no binding
    return () => controller.abort();
  }, [enabled]);
  return options;
}
