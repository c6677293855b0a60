// A destructive action that asks first, inline instead of window.confirm: keyboard- and
// screen-reader-friendly, and the question names what will be lost.
import { useState } from "react";
import { Button } from "./form";

export function ConfirmButton({
  label,
  question,
  confirmLabel = label,
  name = "intent",
  value,
  form,
  busy = false,
}: {
  label: string;
  question: string;
  confirmLabel?: string;
  name?: string;
  value: string;
  /** The id of the form it submits, when that is not the form it sits in. */
  form?: string;
  busy?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button type="button" variant="danger" onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center justify-end gap-2">
      <span className="text-sm whitespace-nowrap text-slate-700">{question}</span>
      {/* autoFocus: the question replaced the button that had focus, so keep keyboard users in place. */}
      <button
        type="submit"
        name={name}
        value={value}
        form={form}
        disabled={busy}
        autoFocus
        className="rounded-md bg-red-600 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60"
      >
        {busy ? "Working…" : confirmLabel}
      </button>
      <Button type="button" variant="secondary" onClick={() => setAsking(false)} disabled={busy}>
        Cancel
      </Button>
    </span>
  );
}
