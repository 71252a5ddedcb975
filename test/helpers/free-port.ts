import { once } from "node:events";
import { createServer } from "node:net";

/** A port free right now on 127.0.0.1, for a server or child process a test starts itself. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0] as number;
}

/**
 * `n` ports free right now, all different: each is held until all are chosen. Calling freePort
 * n times can give one port twice (a port closed is free again at once), and two servers of one
 * nginx configuration on one port answer each other's requests.
 */
export async function freePorts(n: number): Promise<number[]> {
  const held = await Promise.all(
    Array.from({ length: n }, async () => {
      const srv = createServer();
      srv.listen(0, "127.0.0.1");
      await once(srv, "listening");
      return srv;
    }),
  );
  const ports = held.map((srv) => (srv.address() as { port: number }).port);
  await Promise.all(held.map((srv) => new Promise((resolve) => srv.close(resolve))));
  return ports;
}

/** Free ports, all different, by the names a stack's settings give them. */
export async function freePortsOf<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const ports = await freePorts(names.length);
  return Object.fromEntries(names.map((name, i) => [name, ports[i]])) as Record<K, number>;
}

/** The same as text, as an environment takes them. */
export async function freePortsEnv<K extends string>(names: readonly K[]): Promise<Record<K, string>> {
  const ports = await freePorts(names.length);
  return Object.fromEntries(names.map((name, i) => [name, String(ports[i])])) as Record<K, string>;
}
