// Dashboard time-range presets (the URL carries ?range=…; the server turns it into start/end).
export const RANGE_PRESETS = {
  "8h": 8 * 3600_000,
  "24h": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
  "30d": 30 * 24 * 3600_000,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const DEFAULT_PRESET: RangePreset = "7d";

export function presetFrom(value: string | null): RangePreset {
  return value && value in RANGE_PRESETS ? (value as RangePreset) : DEFAULT_PRESET;
}
