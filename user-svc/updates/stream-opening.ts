import type { UserConfig } from "../config.js";
import type { UpdatesHub } from "./hub.js";

/** What an update stream, SSE or WebSocket, is opened with by GET /api/updates. */
export interface StreamOpening {
  userId: number;
  /** When the access token the stream was opened with expires. */
  expiresAtMs: number;
  /** `resume_from` or `Last-Event-ID`, if the client gave one. */
  resumeFrom: string | null;
  limits: UserConfig["updates"];
  hub: UpdatesHub;
  /** Counts and logs the stream once it ends, with the status it answered. */
  ended: (status: number) => void;
}

// setTimeout's longest delay; a token that outlives it is checked again then.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `end` when the connection's access token expires: the token was checked once, at the
 * upgrade, and a connection that outlived it kept a stolen or logged-out token's feed open for as
 * long as the socket stayed up. The client reconnects with a fresh token and its last event id.
 */
export function endAtExpiry(expiresAtMs: number, end: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAtMs - Date.now();
    timer = left > 0 ? setTimeout(arm, Math.min(left, MAX_TIMER_MS)) : setTimeout(end, 0);
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
