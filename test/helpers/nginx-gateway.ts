import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectPath } from "../../lib/paths.js";
import { freePort, freePorts } from "./free-port.js";

// `make cluster-up`'s gateway without the services behind it: stand-ins listen on the instances'
// ports and the nginx that `scripts/cluster.sh nginx-conf` configures runs in front of them, so a
// test sees what the gateway does with each answer.

const run = promisify(execFile);

/** The services in the order scripts/cluster.sh gives them their instance ports. */
export const CLUSTER_ORDER = ["flight-svc", "booking-svc", "payment-mock", "user-svc"] as const;
export type ClusterService = (typeof CLUSTER_ORDER)[number];

export const hasNginx = (): Promise<boolean> =>
  run("sh", ["-c", "command -v nginx"]).then(
    () => true,
    () => false,
  );

export interface InstanceStands {
  /** CLUSTER_INSTANCE_PORT: instance j of service i listens on base + 2 i + j. */
  base: number;
  close(): void;
}

/**
 * Stand-ins on the first `instances` instance ports of every service, each answering with
 * `handler(service)`; retried on a new base until every port is free.
 */
export async function startInstanceStands(
  instances: 1 | 2,
  handler: (service: ClusterService, server: Server) => RequestListener,
): Promise<InstanceStands> {
  const want = instances * CLUSTER_ORDER.length;
  const stands: Server[] = [];
  let base = 0;
  for (let tries = 0; stands.length < want && tries < 20; tries++) {
    for (const s of stands.splice(0)) s.close();
    base = await freePort();
    listening: for (const [i, name] of CLUSTER_ORDER.entries()) {
      for (let j = 0; j < instances; j++) {
        const server = createServer();
        server.on("request", handler(name, server));
        const ok = await new Promise<boolean>((resolve) => {
          server.once("error", () => resolve(false));
          server.listen(base + 2 * i + j, "127.0.0.1", () => resolve(true));
        });
        if (!ok) break listening;
        stands.push(server);
      }
    }
  }
  const close = () => {
    for (const s of stands) s.close();
  };
  if (stands.length < want) {
    close();
    throw new Error("no free ports for the instances' stand-ins");
  }
  return { base, close };
}

export interface GatewayPorts {
  FLIGHT_PORT: number;
  BOOKING_PORT: number;
  PAYMENT_PORT: number;
  USER_PORT: number;
  GATEWAY_PORT: number;
}

export interface Gateway {
  ports: GatewayPorts;
  stop(): Promise<void>;
}

/** Starts cluster-up's nginx, on free ports, in front of the instances at `base`. */
export async function startGateway(base: number): Promise<Gateway> {
  const dir = await mkdtemp(join(tmpdir(), "skybook-gateway-"));
  const [FLIGHT_PORT, BOOKING_PORT, PAYMENT_PORT, USER_PORT, GATEWAY_PORT] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const ports: GatewayPorts = { FLIGHT_PORT, BOOKING_PORT, PAYMENT_PORT, USER_PORT, GATEWAY_PORT };
  const env: Record<string, string | undefined> = {
    ...process.env,
    CLUSTER_RUN_DIR: dir,
    CLUSTER_INSTANCE_PORT: String(base),
  };
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  const { stdout } = await run(projectPath("scripts", "cluster.sh"), ["nginx-conf"], { env, cwd: projectPath() });
  const conf = stdout.trim();
  const nginxDir = join(dir, "nginx");
  await run("nginx", ["-c", conf, "-p", nginxDir, "-g", "daemon on;"]);
  return {
    ports,
    async stop() {
      await run("nginx", ["-c", conf, "-p", nginxDir, "-s", "quit"]).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
