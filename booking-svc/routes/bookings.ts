import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { IdempotencyHeaders } from "../../lib/input-schemas.js";
import { bookingNotFound, listedOwner, ownerOfNew, visibleBooking, visibleOwner } from "../ownership.js";
import { toCreateBooking } from "../request.js";
import {
  BookingView,
  CancelBody,
  CreateBody,
  IdParams,
  ListBody,
  ListQuery,
  OwnerQuery,
  ResultBody,
} from "../schemas.js";
import { bookingView } from "../views.js";
import { sendAnswer } from "./send-answer.js";

const CUSTOMER = { access: "customer" } as const;

const answers = { 200: ResultBody, 202: ResultBody, "4xx": ResultBody, "5xx": ResultBody };

export const bookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/api/bookings",
    { config: CUSTOMER, schema: { body: CreateBody, headers: IdempotencyHeaders, response: answers } },
    async (request, reply) => {
      const userId = ownerOfNew(request.caller, request.body.user_id);
      const booking = toCreateBooking(request.body, userId);
      return sendAnswer(reply, await app.bookings.create(booking, request.headers["idempotency-key"]));
    },
  );

  app.get(
    "/api/bookings/:id",
    {
      config: CUSTOMER,
      schema: { params: IdParams, querystring: OwnerQuery, response: { 200: BookingView, "4xx": ResultBody } },
    },
    async (request) => {
      const b = await app.bookingsRepo.read(request.params.id);
      // Another user's booking is as good as absent.
      const owner = visibleOwner(request.caller, request.query.user_id);
      if (!b || (owner !== null && b.userId !== owner)) throw bookingNotFound(request.params.id);
      return bookingView(b);
    },
  );

  app.get(
    "/api/bookings",
    { config: CUSTOMER, schema: { querystring: ListQuery, response: { 200: ListBody, "4xx": ResultBody } } },
    async (request) => {
      const { limit, cursor } = request.query;
      const owner = listedOwner(request.caller, request.query.user_id);
      const rows = await app.bookingsRepo.list(owner, limit + 1, cursor ?? null);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { bookings: page.map(bookingView), next_cursor: rows.length > limit && last ? String(last.id) : null };
    },
  );

  app.put(
    "/api/bookings/:id/cancel",
    {
      config: { ...CUSTOMER, optionalBody: true },
      schema: { params: IdParams, body: CancelBody, headers: IdempotencyHeaders, response: answers },
    },
    async (request, reply) => {
      const b = visibleBooking(request.caller, request.params.id, await app.bookingsRepo.get(request.params.id));
      return sendAnswer(reply, await app.bookings.cancel(b, request.headers["idempotency-key"]));
    },
  );
};
