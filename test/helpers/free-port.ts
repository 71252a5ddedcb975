import { once } from "node:events";
import { createServer } from "node:net";

/** A port free right now on 127.0.0.1, for a server or child process a test starts itself. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, "127.0.0.1");
  await once(srv, "listening");
  const { port } = srv.address() as { port: number };
  srv.close();
  await once(srv, "close");
  return port;
}
