/** When check-in for a leg is possible, before its departure (CHECKIN_OPENS_HOURS, CHECKIN_CLOSES_MINUTES). */
export interface CheckinWindow {
  opensHours: number;
  closesMinutes: number;
}

export type WindowState = "open" | "checkin_not_open" | "checkin_closed";

/**
 * Check-in opens exactly `opensHours` before departure and closes exactly `closesMinutes`
 * before it: open from departure − opens (included) until departure − closes (excluded).
 */
export function windowState(departure: Date, now: Date, w: CheckinWindow): WindowState {
  const ahead = departure.getTime() - now.getTime();
  if (ahead > w.opensHours * 3_600_000) return "checkin_not_open";
  if (ahead <= w.closesMinutes * 60_000) return "checkin_closed";
  return "open";
}

/** When the window of a leg departing at `departure` opens and closes, for messages. */
export function windowTimes(departure: Date, w: CheckinWindow): { opens: string; closes: string } {
  return {
    opens: new Date(departure.getTime() - w.opensHours * 3_600_000).toISOString(),
    closes: new Date(departure.getTime() - w.closesMinutes * 60_000).toISOString(),
  };
}
