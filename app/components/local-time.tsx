import { useEffect, useState } from "react";

/** Times in the viewer's timezone: UTC on the server render, local after hydration. */
export function LocalTime({ iso, relative = false }: { iso: string; relative?: boolean }) {
  const [text, setText] = useState(() => new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC");
  useEffect(() => {
    const date = new Date(iso);
    const update = () => setText(relative ? formatRelative(date) : date.toLocaleString());
    update();
    if (!relative) return;
    const timer = setInterval(update, 30_000);
    return () => clearInterval(timer);
  }, [iso, relative]);
  return (
    <time dateTime={iso} title={new Date(iso).toISOString()}>
      {text}
    </time>
  );
}

export function formatRelative(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  return format.format(seconds, "second");
}
