import { useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";

export interface FlashMessage {
  type: "success" | "error" | "info";
  message: string;
}

const styles: Record<FlashMessage["type"], string> = {
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  error: "bg-red-50 text-red-800 ring-red-200",
  info: "bg-sky-50 text-sky-800 ring-sky-200",
};

/**
 * The one-shot message after a redirect. It stays while the person stays on the page it came with: live pages
 * revalidate their loaders (socket connected, fleet events), and those later loads carry no flash (it is read once),
 * which used to clear "Camera deleted" a moment after it appeared. Leaving the page or dismissing it clears it.
 */
export function FlashBanner({ flash }: { flash: FlashMessage | null }) {
  // location.key changes with every navigation (even back to the same path), never with a revalidation.
  const { key } = useLocation();
  const [shown, setShown] = useState(flash ? { flash, key } : null);
  useEffect(() => {
    if (flash) setShown({ flash, key });
    // Only a new flash sets it (the key is read with it, not a trigger).
  }, [flash]);
  const visible = shown && shown.key === key ? shown.flash : null;
  if (!visible) return null;
  return (
    <div
      role={visible.type === "error" ? "alert" : "status"}
      className={`mb-4 flex items-start justify-between rounded-md px-4 py-3 text-sm ring-1 ${styles[visible.type]}`}
    >
      <span>{visible.message}</span>
      <button
        type="button"
        onClick={() => setShown(null)}
        className="ml-4 font-medium opacity-70 hover:opacity-100"
        aria-label="Dismiss"
      >
        ×
      </button>
    </div>
  );
}
