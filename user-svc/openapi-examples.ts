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
};
