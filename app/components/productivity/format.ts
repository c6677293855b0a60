// Display helpers for productivity figures (null = "no data", never a fake zero).
export const formatHours = (seconds: number) => `${(seconds / 3600).toFixed(seconds >= 36_000 ? 0 : 1)} h`;
export const formatPercent = (ratio: number | null) => (ratio === null ? "—" : `${Math.round(ratio * 100)}%`);
export const formatRate = (rate: number | null) => (rate === null ? "—" : rate.toFixed(1));
export const formatNumber = (n: number) => n.toLocaleString("en-US");
