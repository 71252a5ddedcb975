import { connect, type Socket } from "node:net";

// HTTP over a bare socket, for what an HTTP client library would refuse to send or would
// repair on the way: broken URLs, bytes that are not UTF-8, oversized or malformed headers,
// clients that send slowly or not at all.

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body as JSON, or null when it is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  json: any;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

export function parseReply(raw: string, closedAfterMs: number): RawReply {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const text = rest.join("\r\n\r\n");
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, text, json, closedAfterMs };
}

/** A connection that is open (connected) and collects everything the server sends until it closes. */
export async function openSocket(port: number): Promise<{ socket: Socket; closed: Promise<RawReply> }> {
  const started = Date.now();
  const socket = connect(port, "127.0.0.1");
  let raw = "";
  socket.on("data", (d) => {
    raw += d.toString("latin1");
  });
  const closed = new Promise<RawReply>((resolve) => {
    socket.on("close", () => resolve(parseReply(raw, Date.now() - started)));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return { socket, closed };
}

/** One request of raw bytes with `Connection: close`; the whole answer once the server closes. */
export async function rawRequest(port: number, head: string, body: Buffer | string = ""): Promise<RawReply> {
  const { socket, closed } = await openSocket(port);
  socket.write(Buffer.concat([Buffer.from(head, "latin1"), Buffer.from(body)]));
  return closed;
}

/** A request line and headers ending the head, with Host and Connection: close. */
export function head(method: string, path: string, headers: Record<string, string | number> = {}): string {
  const all = { host: "127.0.0.1", connection: "close", ...headers };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;
}
