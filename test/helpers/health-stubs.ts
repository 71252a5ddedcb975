import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";

/**
 * Four HTTP servers that answer GET /health as healthy services do and 503 to anything else,
 * but leave the requests `unanswered` picks waiting for good: a system that passes the stress
 * harness's first look, for tests of what it does next. Closed on teardown; their URLs in the
 * services' order (flight, booking, payment, user).
 */
export async function healthStubs(
  t: { teardown: (fn: () => unknown) => void },
  unanswered: (req: IncomingMessage) => boolean = () => false,
): Promise<string[]> {
  const servers: Server[] = [];
  const urls: string[] = [];
  t.teardown(() => {
    for (const s of servers) s.closeAllConnections();
    for (const s of servers) s.close();
  });
  for (let i = 0; i < 4; i++) {
    const server = createServer((req, res) => {
      if (req.url === "/health") {
        res.end('{"status":"healthy"}');
        return;
      }
      if (!unanswered(req)) res.writeHead(503).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  }
  return urls;
}
