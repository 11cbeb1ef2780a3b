/** Minutes since midnight of a validated `HH:MM` reading ("24:00" → 1440, the end of the day). */
export function clockMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
