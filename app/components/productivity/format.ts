// Display helpers for productivity figures (null = "no data", never a fake zero).
export const formatHours = (seconds: number) => `${(seconds / 3600).toFixed(seconds >= 36_000 ? 0 : 1)} h`;
export const formatPercent = (ratio: number | null) => (ratio === null ? "—" : `${Math.round(ratio * 100)}%`);
export const formatRate = (rate: number | null) => (rate === null ? "—" : rate.toFixed(1));
export const formatNumber = (n: number) => n.toLocaleString("en-US");

/**
 * Zod issues as one sentence for a page. The field name leads a message only when the message does not already
 * name it: a range refinement reads "start_time must be before end_time", never "end_time start_time must be…".
 */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .map((issue) => {
      const field = issue.path.map(String).join(".");
      return !field || issue.message.includes(String(issue.path.at(-1))) ? issue.message : `${field}: ${issue.message}`;
    })
    .join("; ");
}
