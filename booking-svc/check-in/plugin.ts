import fp from "fastify-plugin";
import { FlightClient } from "../clients/flight-client.js";
import { SeatClient } from "../clients/seat-client.js";
import type { BookingConfig } from "../config.js";
import { CheckInsRepo } from "../store/check-ins-repo.js";
import { readOrCreatePassKey } from "./pass-key.js";
import { CheckIn } from "./service.js";

declare module "fastify" {
  interface FastifyInstance {
    checkIn: CheckIn;
  }
}

/** Check-in and boarding passes, over the booking plugin's flight-svc connection. */
export const checkInPlugin = fp<{ config: BookingConfig }>(
  async (app, { config }) => {
    const keys = await readOrCreatePassKey(config.auth.keyDir);
    const c = config.booking;
    app.decorate(
      "checkIn",
      new CheckIn(
        new FlightClient(app.flightUpstream),
        new SeatClient(app.flightUpstream),
        keys,
        { opensHours: c.checkinOpensHours, closesMinutes: c.checkinClosesMinutes },
        // A check-in's lease: as long as a booking saga's request owns it, longer than its flight-svc calls take.
        new CheckInsRepo(app.sql, c.pendingDeadlineSeconds),
        (id) => app.bookingsRepo.get(id),
      ),
    );
  },
  { name: "check-in", dependencies: ["booking"] },
);
