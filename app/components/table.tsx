// The one table look used by list pages; horizontally scrollable on small screens. The wrapper is
// `relative` so sr-only (absolute) labels inside are clipped with the table instead of widening the page, and a
// focusable, named region so keyboard users can scroll it too (axe: scrollable-region-focusable).
import type { ReactNode } from "react";

export function Table({
  caption,
  columns,
  children,
}: {
  caption: string;
  columns: Array<string | { label: string; srOnly?: boolean; align?: "right" }>;
  children: ReactNode;
}) {
  return (
    <div
      className="relative -mx-5 overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
      role="region"
      aria-label={caption}
      tabIndex={0}
    >
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const c = typeof column === "string" ? { label: column } : column;
              return (
                <th
                  key={c.label}
                  scope="col"
                  className={`px-5 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase ${c.align === "right" ? "text-right" : "text-left"}`}
                >
                  <span className={c.srOnly ? "sr-only" : undefined}>{c.label}</span>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = "" }: { children?: ReactNode; className?: string }) {
  return <td className={`px-5 py-3 align-middle ${className}`}>{children}</td>;
}

export function EmptyRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-5 py-6 text-center text-sm text-slate-500">
        {children}
      </td>
    </tr>
  );
}
