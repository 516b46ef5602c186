const DURATION = /^(?:([0-9]+(?:\.[0-9]+)?)d)?(?:([0-9]+(?:\.[0-9]+)?)h)?(?:([0-9]+)m)?$/;

/**
 * Minutes in a duration written like `1h30m`, `90m`, `1.5h` or `2d` (a day being
 * `hoursPerDay` hours), rounded to the nearest minute. `undefined` when it is not a duration.
 */
export function parseDuration(text: string, hoursPerDay = 8): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null || text.trim() === "") return undefined;
  const [, days, hours, minutes] = match;
  if (days === undefined && hours === undefined && minutes === undefined) return undefined;
  const total =
    Number(days ?? 0) * hoursPerDay * 60 + Number(hours ?? 0) * 60 + Number(minutes ?? 0);
  return Math.round(total);
}

/** Writes minutes the way people do: `1h30m`, `45m`, `2h`. */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
