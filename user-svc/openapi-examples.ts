import type { ExampleBook } from "../lib/openapi-docs.js";

// Answers of a running user-svc (tokens shortened: they are made per login).
export const userExamples: ExampleBook = {
  "POST /api/auth/register": {
    body: { username: "ada", email: "ada@example.com", password: "correct horse battery" },
    responses: {
      "201": { user_id: 1, username: "ada", email: "ada@example.com" },
      "409": { error: "username_taken", message: "The username is taken.", field: "username" },
    },
  },
  "POST /api/auth/login": {
    body: { username: "ada", password: "correct horse battery" },
    responses: {
      "200": {
        access_token: "eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiJ9.eyJyb2xlIjoiY3VzdG9tZXIifQ.c2ln",
        refresh_token: "pnmoOqcbM1zMBVw3P2gx0Ahs9S3sQyZkYd0v2oTjH0k",
        token_type: "Bearer",
        expires_in: 900,
        user_id: 1,
      },
      "401": { error: "invalid_credentials", message: "The username or password is wrong." },
    },
  },
  "POST /api/loyalty/earn/batch": {
    body: {
      items: [
        { user_id: 1, booking_id: 41, flight_id: 6, miles: 708, flown_at: "2026-12-05T08:00:00Z" },
        { user_id: 2, booking_id: 42, flight_id: 6, miles: 708, flown_at: "1990-01-01T08:00:00Z" },
      ],
    },
    responses: {
      "200": {
        results: [
          {
            status: 200,
            body: {
              entry: {
                id: 17,
                kind: "earn",
                miles: 708,
                booking_id: 41,
                at: "2026-12-05T10:00:00.000Z",
                flown_at: "2026-12-05T08:00:00.000Z",
              },
              balance: 708,
            },
          },
          {
            status: 400,
            body: {
              error: "validation_error",
              message: "flown_at must fall from 2000-01-01 to 2099-12-31.",
              field: "flown_at",
            },
          },
        ],
      },
    },
  },
};
