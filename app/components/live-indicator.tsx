// Whether this page's live updates are flowing (its socket.io connection), drawn the same on every page: a green
// filled dot with "Live" when connected, a grey hollow dot with "Connecting…" otherwise. The dot is decoration; the
// word carries the meaning, and changes are announced politely.
export function LiveIndicator({ connected, testId = "live-indicator" }: { connected: boolean; testId?: string }) {
  return (
    <span
      className={`text-xs whitespace-nowrap ${connected ? "font-medium text-emerald-700" : "text-slate-500"}`}
      aria-live="polite"
      data-testid={testId}
      data-state={connected ? "live" : "connecting"}
    >
      <span aria-hidden="true">{connected ? "● " : "○ "}</span>
      {connected ? "Live" : "Connecting…"}
    </span>
  );
}
