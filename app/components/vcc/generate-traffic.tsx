// "Generate sample traffic" (issue 11 §7, V1-V3): admins fill an empty dashboard with realistic line crossings
// through POST /api/v1/data/generate-vcc (the detection ingest path), then the page reloads its data. Shown on the
// Analytics page when a range is empty and in the data management section.
import { useRevalidator } from "@remix-run/react";
import { useId, useState } from "react";

type State =
  { kind: "idle" } | { kind: "working" } | { kind: "done"; message: string } | { kind: "failed"; message: string };

const input =
  "mt-1 block w-24 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500";

export function GenerateTrafficForm({
  compact = false,
  onGenerated,
}: {
  compact?: boolean;
  /** Called after a successful run, before the page reloads its data (a page may keep the form on screen). */
  onGenerated?: () => void;
}) {
  const id = useId();
  const revalidator = useRevalidator();
  const [state, setState] = useState<State>({ kind: "idle" });

  async function generate(form: HTMLFormElement) {
    const data = new FormData(form);
    const body = {
      cameras: Number(data.get("cameras")),
      days: Number(data.get("days")),
      rate: Number(data.get("rate")),
      tz: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    };
    setState({ kind: "working" });
    try {
      const response = await fetch("/api/v1/data/generate-vcc", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await response.json().catch(() => ({}))) as { message?: string; events?: number; ms?: number };
      if (!response.ok) {
        setState({ kind: "failed", message: json.message ?? `The server answered ${response.status}` });
        return;
      }
      setState({
        kind: "done",
        message: `Generated ${(json.events ?? 0).toLocaleString()} crossings in ${((json.ms ?? 0) / 1000).toFixed(1)} s.`,
      });
      onGenerated?.();
      revalidator.revalidate();
    } catch {
      setState({ kind: "failed", message: "The server could not be reached. Try again." });
    }
  }

  const working = state.kind === "working";
  return (
    <form
      className={`flex flex-wrap items-end gap-3 ${compact ? "justify-center" : ""}`}
      aria-describedby={`${id}-status`}
      data-testid="vcc-generate"
      onSubmit={(event) => {
        event.preventDefault();
        void generate(event.currentTarget);
      }}
    >
      <label className="text-sm font-medium text-slate-700" htmlFor={`${id}-cameras`}>
        Cameras
        <input id={`${id}-cameras`} name="cameras" type="number" min={1} max={50} defaultValue={5} className={input} />
      </label>
      <label className="text-sm font-medium text-slate-700" htmlFor={`${id}-days`}>
        Days
        <input
          id={`${id}-days`}
          name="days"
          type="number"
          min={0.05}
          max={31}
          step="any"
          defaultValue={7}
          className={input}
        />
      </label>
      <label className="text-sm font-medium text-slate-700" htmlFor={`${id}-rate`}>
        Crossings per hour
        <input id={`${id}-rate`} name="rate" type="number" min={1} max={2000} defaultValue={60} className={input} />
      </label>
      <button
        type="submit"
        disabled={working}
        className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {working ? "Generating…" : "Generate sample traffic"}
      </button>
      <p
        id={`${id}-status`}
        role={state.kind === "failed" ? "alert" : "status"}
        className={`w-full text-sm ${state.kind === "failed" ? "text-red-700" : "text-slate-600"}`}
      >
        {state.kind === "done" || state.kind === "failed" ? state.message : ""}
        {working ? "Writing crossings through the ingest path…" : ""}
      </p>
    </form>
  );
}
