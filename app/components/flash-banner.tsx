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

export function FlashBanner({ flash }: { flash: FlashMessage | null }) {
  const [visible, setVisible] = useState(flash);
  useEffect(() => setVisible(flash), [flash]);
  if (!visible) return null;
  return (
    <div
      role={visible.type === "error" ? "alert" : "status"}
      className={`mb-4 flex items-start justify-between rounded-md px-4 py-3 text-sm ring-1 ${styles[visible.type]}`}
    >
      <span>{visible.message}</span>
      <button
        type="button"
        onClick={() => setVisible(null)}
        className="ml-4 font-medium opacity-70 hover:opacity-100"
        aria-label="Dismiss"
      >
        ×
      </button>
    </div>
  );
}
