/** A visible time as the attendance table and chart write it: "2 h 5 min", "12 min", "40 s". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : m ? `${m} min` : `${seconds} s`;
}
