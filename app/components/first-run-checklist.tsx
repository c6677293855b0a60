// The landing page's first-run checklist (issue 12 §2): five next steps for a new tenant, each ticked off by the
// server from real state (app/models/first-run.server.ts), with links to where each is done and a ready-to-copy
// command for a worker on another machine. Dismissed per user; brought back from the overview.
import { Link, useFetcher } from "@remix-run/react";
import { useState, type ReactNode } from "react";
import type { FirstRunChecklist as FirstRunChecklistData } from "~/models/first-run.server";
import { Button } from "./form";

/** The credentials card on the workers page (its issue form is admin-only). */
export const CREDENTIALS_HREF = "/workers#worker-credentials";

/** The intents the overview's action accepts from this component. */
export const DISMISS_INTENT = "dismiss-first-run";
export const RESTORE_INTENT = "restore-first-run";

/** What to run on the other machine (the worker names itself after its host unless --name says otherwise). */
export function workerCommand(serverUrl: string): string {
  return `npm run worker -- --server ${serverUrl} --token <credential>`;
}

/** A server reached as localhost here is not reachable under that name from another machine. */
function isLoopback(serverUrl: string): boolean {
  try {
    const host = new URL(serverUrl).hostname;
    return host === "localhost" || host.startsWith("127.") || host === "[::1]";
  } catch {
    return false;
  }
}

export function FirstRunChecklist({ checklist, serverUrl }: { checklist: FirstRunChecklistData; serverUrl: string }) {
  const fetcher = useFetcher();
  const total = checklist.steps.length;
  const allDone = checklist.done === total;
  const headingId = "first-run-heading";
  return (
    <section
      aria-labelledby={headingId}
      data-testid="first-run-checklist"
      className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-indigo-200"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id={headingId} className="text-base font-semibold">
            {allDone ? "You are set up" : "Get started"}
          </h2>
          <p className="text-sm text-slate-600" data-testid="first-run-progress">
            {checklist.done} of {total} done
          </p>
        </div>
        <fetcher.Form method="post">
          <Button name="intent" value={DISMISS_INTENT} variant="secondary" disabled={fetcher.state !== "idle"}>
            {allDone ? "Hide this list" : "Dismiss"}
          </Button>
        </fetcher.Form>
      </div>
      <progress
        className="mt-3 h-2 w-full overflow-hidden rounded accent-indigo-600"
        value={checklist.done}
        max={total}
        aria-label={`${checklist.done} of ${total} steps done`}
      />
      <ol className="mt-4 space-y-3">
        {checklist.steps.map((step) => (
          <li
            key={step.id}
            data-testid={`first-run-step-${step.id}`}
            data-done={step.done}
            className="flex gap-3 rounded-lg p-2"
          >
            <StepMark done={step.done} />
            <div className="min-w-0 flex-1">
              <StepBody step={step} checklist={checklist} serverUrl={serverUrl} />
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function RestoreFirstRun() {
  const fetcher = useFetcher();
  return (
    <fetcher.Form method="post" className="text-right">
      <button
        type="submit"
        name="intent"
        value={RESTORE_INTENT}
        className="text-xs text-indigo-700 underline hover:text-indigo-900"
      >
        Show the getting-started checklist
      </button>
    </fetcher.Form>
  );
}

function StepMark({ done }: { done: boolean }) {
  return (
    <span
      aria-hidden="true"
      className={`mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-xs font-bold ${
        done ? "bg-emerald-600 text-white" : "ring-2 ring-slate-300"
      }`}
    >
      {done ? "✓" : ""}
    </span>
  );
}

function StepTitle({ done, children }: { done: boolean; children: ReactNode }) {
  return (
    <p className={`text-sm font-medium ${done ? "text-slate-500 line-through" : "text-slate-900"}`}>
      {children}
      <span className="sr-only">{done ? " (done)" : " (not done yet)"}</span>
    </p>
  );
}

function StepLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link to={href} className="text-sm font-medium text-indigo-700 underline hover:text-indigo-900">
      {children}
    </Link>
  );
}

function StepBody({
  step,
  checklist,
  serverUrl,
}: {
  step: FirstRunChecklistData["steps"][number];
  checklist: FirstRunChecklistData;
  serverUrl: string;
}) {
  const help = "mt-0.5 text-sm text-slate-600";
  switch (step.id) {
    case "watch":
      return (
        <>
          <StepTitle done={step.done}>
            {checklist.demoCameraId ? "Watch the demo camera" : "Watch a camera live"}
          </StepTitle>
          <p className={help}>
            {checklist.demoCameraId
              ? "People walking on a campus, played as a camera, with what the detector sees drawn over it. "
              : "Live video in the browser, with what the detector sees drawn over it. "}
            <StepLink href={step.href}>Open the live view</StepLink>
          </p>
        </>
      );
    case "camera":
      return (
        <>
          <StepTitle done={step.done}>Add a camera</StepTitle>
          <p className={help}>
            An IP camera by its RTSP URL, or any browser that publishes its own camera.{" "}
            <StepLink href={step.href}>Add one on Cameras</StepLink>
          </p>
        </>
      );
    case "worker":
      return <WorkerStep step={step} canIssue={checklist.canIssueCredentials} serverUrl={serverUrl} />;
    case "line":
      return (
        <>
          <StepTitle done={step.done}>Draw a counting line</StepTitle>
          <p className={help}>
            On a camera's live view, choose Add line and click its two ends: crossings are counted in each direction.{" "}
            <StepLink href={step.href}>Draw one</StepLink>
          </p>
        </>
      );
    case "analytics":
      return (
        <>
          <StepTitle done={step.done}>Open analytics</StepTitle>
          <p className={help}>
            Counts per line and class over any range, as charts or CSV.{" "}
            <StepLink href={step.href}>Open Analytics</StepLink>
          </p>
        </>
      );
  }
}

function WorkerStep({
  step,
  canIssue,
  serverUrl,
}: {
  step: { done: boolean; href: string };
  canIssue: boolean;
  serverUrl: string;
}) {
  const command = workerCommand(serverUrl);
  return (
    <>
      <StepTitle done={step.done}>Start a worker on another machine</StepTitle>
      <p className="mt-0.5 text-sm text-slate-600">
        Workers analyse the video; one runs inside this server. To add capacity, get a worker credential (shown once){" "}
        {canIssue ? (
          <StepLink href={CREDENTIALS_HREF}>on Workers → Worker credentials</StepLink>
        ) : (
          <>from an admin of this tenant (they issue it on Workers)</>
        )}
        , then run this in a copy of Argus on the other machine, with the credential in place of{" "}
        <code className="font-mono">&lt;credential&gt;</code>:
      </p>
      <CopyableCommand command={command} />
      {isLoopback(serverUrl) ? (
        <p className="mt-1 text-xs text-amber-800">
          You reached this server as {new URL(serverUrl).host}: on the other machine, put an address it can reach in
          place of that one.
        </p>
      ) : null}
    </>
  );
}

function CopyableCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState<"copied" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied("copied");
    } catch {
      // Clipboard access needs a secure context (https or localhost); the command stays selectable.
      setCopied("failed");
    }
  };
  return (
    <div className="mt-2 flex flex-wrap items-start gap-2">
      <code
        data-testid="first-run-worker-command"
        className="block min-w-0 flex-1 break-all rounded bg-slate-100 p-2 font-mono text-xs text-slate-800"
      >
        {command}
      </code>
      <button
        type="button"
        onClick={copy}
        className="rounded-md bg-white px-2 py-1 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50"
      >
        Copy command
      </button>
      <span role="status" className="text-xs text-slate-600">
        {copied === "copied"
          ? "Copied"
          : copied === "failed"
            ? "Copy it by hand: the browser refused the clipboard"
            : ""}
      </span>
    </div>
  );
}
