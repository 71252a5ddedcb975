// The original's stand-ins for a booking (bench/lib/stand-in.ts) as three processes, as the
// original ran its flight, payment and booking services.
import { startChildServers } from "./child-servers.js";

export interface StandIns {
  /** The flight stand-in: POST /validate, POST /decrement. */
  flight: string;
  /** The booking stand-in: POST /book. */
  booking: string;
  cpuFlight: () => number;
  /** CPU seconds of all three. */
  cpuChain: () => number;
  close: () => Promise<void>;
}

export async function startStandIns(): Promise<StandIns> {
  const flight = await startChildServers("bench/lib/stand-in.ts", {}, ["flight"]);
  const payment = await startChildServers("bench/lib/stand-in.ts", {}, ["payment"]);
  const booking = await startChildServers(
    "bench/lib/stand-in.ts",
    { FLIGHT_URL: flight.urls.url as string, PAYMENT_URL: payment.urls.url as string },
    ["booking"],
  );
  return {
    flight: flight.urls.url as string,
    booking: booking.urls.url as string,
    cpuFlight: flight.cpuSeconds,
    cpuChain: () => flight.cpuSeconds() + payment.cpuSeconds() + booking.cpuSeconds(),
    close: async () => {
      await Promise.all([booking.close(), flight.close(), payment.close()]);
    },
  };
}
