import { type IncomingHttpHeaders, request } from "node:http";
import type { FastifyInstance } from "fastify";
import WebSocket from "ws";
import type { UserConfig } from "../../user-svc/config.js";
import { signAccessToken } from "../../user-svc/tokens.js";

export type Message = Record<string, unknown> & { type: string };

export const tokenFor = (app: FastifyInstance, config: UserConfig, userId: number) =>
  signAccessToken(app.signingKey, config.user, userId, "customer");

/** What a push client has received, and a way to wait for more. */
export class Inbox {
  readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];

  push(m: Message): void {
    this.messages.push(m);
    for (const w of this.waiters.splice(0)) w();
  }

  of(type: string): Message[] {
    return this.messages.filter((m) => m.type === type);
  }

  private lastTypes(): string {
    return this.messages
      .slice(-5)
      .map((m) => m.type)
      .join(", ");
  }

  /** Resolves once `check` holds, or rejects after `ms`. */
  async until(check: (inbox: Inbox) => boolean, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${this.messages.length} messages (${this.lastTypes()})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export interface WsClient {
  socket: WebSocket;
  /** The headers of the 101 answer. */
  headers: IncomingHttpHeaders;
  inbox: Inbox;
  send(m: object): void;
  close(): Promise<void>;
}

/** A WebSocket to GET /api/updates (`url` is http://…; `query` after the path, `headers` on the upgrade). */
export async function openWs(
  url: string,
  opts: {
    token?: string;
    query?: string;
    protocols?: string[];
    headers?: Record<string, string>;
    /** false: a client that never answers the server's pings, as one gone without a close. */
    autoPong?: boolean;
  } = {},
): Promise<WsClient> {
  const target = `${url.replace(/^http/, "ws")}/api/updates${opts.query ? `?${opts.query}` : ""}`;
  const socket = new WebSocket(target, opts.protocols ?? [], {
    headers: { ...opts.headers, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    autoPong: opts.autoPong ?? true,
  });
  const inbox = new Inbox();
  socket.on("message", (data) => inbox.push(JSON.parse(data.toString()) as Message));
  let headers: IncomingHttpHeaders = {};
  socket.once("upgrade", (res) => {
    headers = res.headers;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return {
    socket,
    headers,
    inbox,
    send: (m) => socket.send(JSON.stringify(m)),
    close: async () => {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((r) => socket.once("close", r));
      socket.close();
      await closed;
    },
  };
}

export interface SseClient {
  inbox: Inbox;
  /** Each event's `id:` line, in order. */
  ids: string[];
  /** Each comment line (`: …`), in order: the connection's greeting and heartbeats. */
  comments: string[];
  status: number;
  headers: IncomingHttpHeaders;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** An EventSource-like reader of GET /api/updates. */
export async function openSse(url: string, headers: Record<string, string>, query = ""): Promise<SseClient> {
  const inbox = new Inbox();
  const ids: string[] = [];
  const comments: string[] = [];
  const u = new URL(`${url}/api/updates${query ? `?${query}` : ""}`);
  return new Promise((resolve, reject) => {
    const req = request(u, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) ids.push(line.slice(4));
            if (line.startsWith(":")) comments.push(line);
            if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (data) inbox.push(JSON.parse(data) as Message);
        }
      });
      res.on("error", () => {});
      const ended = new Promise<void>((end) => res.once("end", end));
      resolve({
        inbox,
        ids,
        comments,
        status: res.statusCode ?? 0,
        headers: res.headers,
        ended,
        close: () => req.destroy(),
      });
    });
    req.on("error", reject);
    req.end();
  });
}
