import { int } from "./format.js";

// The outcomes count answers as the load generator saw them; the invariants count bookings in
// the database. They differ for good reasons (an answer of 202 pending whose booking the sweeper
// finished, a booking still running when the load stopped, a cancellation after the answer,
// a retry answered twice): this says, per status in the database, what its bookings were answered.

const UNANSWERED = "no answer (still running when the load stopped, or timed out)";

export function answersVsDatabase(
  bookings: readonly { id: number; status: string }[],
  answered: ReadonlyMap<number, string>,
): string {
  const byStatus = new Map<string, Map<string, number>>();
  for (const b of bookings) {
    const said = answered.get(b.id) ?? UNANSWERED;
    const m = byStatus.get(b.status) ?? new Map<string, number>();
    m.set(said, (m.get(said) ?? 0) + 1);
    byStatus.set(b.status, m);
  }
  const parts = [...byStatus].map(([status, m]) => {
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    if (m.size === 1 && m.has(status)) return `${int(total)} ${status}, all answered so`;
    const how = [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([said, n]) => (said === UNANSWERED ? `${int(n)} ${said}` : `${int(n)} answered ${said}`))
      .join(", ");
    return `${int(total)} ${status} in the database: ${how}`;
  });
  return parts.length ? parts.join("; ") : "no bookings";
}
