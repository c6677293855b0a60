// "Copy it now": the one way a newly issued secret is shown (issue 12 §3): worker credentials, API keys and
// publish links. Argus keeps only a hash (app/auth/secrets.server.ts), so this is the only time the secret
// exists on screen; the panel says so, offers a copy button with feedback, and can be hidden once saved.
// The panel is a polite live region, so screen readers hear that a secret appeared and whether the copy worked.
import { useId, useState, type ReactNode } from "react";
import { Button } from "./form";

type CopyState = "idle" | "copied" | "failed";

export function SecretOnce({
  title,
  secret,
  what = "secret",
  href,
  testId,
  children,
}: {
  /** Names what was issued, e.g. `Credential for “edge-1”`. */
  title: ReactNode;
  /** The text to show and copy. */
  secret: string;
  /** What the copy button copies, for its accessible name ("Copy credential"). */
  what?: string;
  /** When the secret is a link (publish links), it is shown as one; the copied text is still `secret`. */
  href?: string;
  testId?: string;
  /** Next steps that use the secret (e.g. the command that starts a worker). */
  children?: ReactNode;
}) {
  // Keyed by the secret, so issuing another one shows it afresh (not hidden, not "Copied").
  const [copied, setCopied] = useState<{ secret: string; state: CopyState } | null>(null);
  const [hiddenSecret, setHiddenSecret] = useState<string | null>(null);
  const copy = copied?.secret === secret ? copied.state : "idle";
  const valueId = useId();
  if (hiddenSecret === secret) return null;

  async function copySecret() {
    const ok = await writeClipboard(secret, document.getElementById(valueId));
    setCopied({ secret, state: ok ? "copied" : "failed" });
  }

  const valueClass = "mt-2 block rounded bg-white p-2 font-mono text-sm break-all";
  return (
    <div role="status" data-secret-once className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-200">
      <p className="text-sm font-medium text-amber-900">
        {title}: copy it now, it will not be shown again. Argus keeps only a hash.
      </p>
      {href ? (
        <a id={valueId} data-testid={testId} href={href} className={`${valueClass} underline`}>
          {secret}
        </a>
      ) : (
        <code id={valueId} data-testid={testId} className={valueClass}>
          {secret}
        </code>
      )}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <Button type="button" variant="secondary" onClick={copySecret}>
          {copy === "copied" ? "Copied" : `Copy ${what}`}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setHiddenSecret(secret)}>
          I have saved it
        </Button>
        <span className="text-xs text-amber-900">
          {copy === "copied" ? `${capitalize(what)} copied to the clipboard.` : null}
          {copy === "failed" ? `Copying is blocked here: the ${what} is selected, press Ctrl+C (⌘C on a Mac).` : null}
        </span>
      </div>
      {children ? <div className="mt-3">{children}</div> : null}
    </div>
  );
}

/**
 * The async Clipboard API exists only in secure contexts (https or localhost); Argus is often opened over
 * plain http on a LAN address, so fall back to selecting the text and the legacy copy command. When both
 * fail the text is left selected, so the user can copy it by hand.
 */
async function writeClipboard(text: string, element: HTMLElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission denied or not focused: try the fallback below.
  }
  if (!element) return false;
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  try {
    // Deprecated, but the only copy path left on plain-http pages; it copies the selection made above.
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
