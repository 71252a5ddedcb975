// The faults `make chaos` injects under booking load, the ones the issue measured: PostgreSQL
// stopped for 5 s or 20 s, Redis killed (back from its append-only file), restarted empty,
// flushed or holding its writes, booking-svc or flight-svc killed (their supervisor starts
// them again); and user-svc killed, during which bookings with tokens already issued go on
// (every service verifies them from the keys it holds).

export type ServiceName = "flight-svc" | "booking-svc" | "payment-mock" | "user-svc";

/** What a fault can do to the system under test. */
export interface Controls {
  /** Fast shutdown of PostgreSQL (what `pg_ctl stop -m fast` does); resolves once it is gone. */
  stopPostgres(): Promise<void>;
  /** SIGKILL to redis-server; resolves once it is gone. */
  killRedis(): Promise<void>;
  flushRedis(): Promise<void>;
  /** CLIENT PAUSE WRITE: Redis answers reads, holds every write (and script) until unpaused. */
  pauseRedisWrites(ms: number): Promise<void>;
  unpauseRedis(): Promise<void>;
  /** Starts Redis and PostgreSQL again where they are not running (scripts/infra.sh up). */
  startInfra(): Promise<void>;
  /** SIGKILL to the service's process (not its supervisor). */
  killService(name: ServiceName): Promise<void>;
  /** Resolves once a new process of the service (its supervisor started it) answers /ready. */
  serviceBack(name: ServiceName): Promise<void>;
}

export interface Fault {
  name: string;
  description: string;
  /** Seconds between the blow and the repair (0: one blow that the system repairs itself). */
  seconds: number;
  /** Services the fault kills: their supervisor restarts them; any other restart is a service dying by itself. */
  kills: ServiceName[];
  /**
   * Redis loses holds (flushed, or restarted without its last writes): a booking paid for a hold
   * that vanished is refunded, rightly. Any other fault must not cost a paid booking its seats.
   */
  losesHolds: boolean;
  inject(): Promise<void>;
  repair(): Promise<void>;
}

const nothing = async () => {};

export function faultCatalogue(c: Controls): Fault[] {
  const pgStop = (seconds: number): Fault => ({
    name: `pg-stop-${seconds}`,
    description: `PostgreSQL stopped (fast shutdown) for ${seconds} s, then started again`,
    seconds,
    kills: [],
    losesHolds: false,
    inject: () => c.stopPostgres(),
    repair: () => c.startInfra(),
  });
  const kill = (service: ServiceName): Fault => ({
    name: `kill-${service.replace("-svc", "")}`,
    description: `${service} killed (SIGKILL); its supervisor starts it again`,
    seconds: 0,
    kills: [service],
    losesHolds: false,
    inject: () => c.killService(service),
    // The repair is the supervisor's: it ends when the new process is ready.
    repair: () => c.serviceBack(service),
  });
  return [
    pgStop(5),
    pgStop(20),
    {
      name: "redis-kill",
      description: "Redis killed (SIGKILL), started again 2 s later from its append-only file",
      seconds: 2,
      kills: [],
      losesHolds: true,
      inject: () => c.killRedis(),
      repair: () => c.startInfra(),
    },
    {
      name: "redis-empty",
      description: "Redis flushed and killed, started again empty 2 s later",
      seconds: 2,
      kills: [],
      losesHolds: true,
      inject: async () => {
        await c.flushRedis();
        await c.killRedis();
      },
      repair: () => c.startInfra(),
    },
    {
      name: "redis-pause",
      description: "Redis holds every write for 5 s (CLIENT PAUSE WRITE): holds outlast their caller's deadline",
      seconds: 5,
      kills: [],
      losesHolds: false,
      inject: () => c.pauseRedisWrites(10_000),
      repair: () => c.unpauseRedis(),
    },
    {
      name: "redis-flush",
      description: "Redis flushed (FLUSHALL) under load",
      seconds: 0,
      kills: [],
      losesHolds: true,
      inject: () => c.flushRedis(),
      repair: nothing,
    },
    kill("booking-svc"),
    kill("flight-svc"),
    kill("user-svc"),
  ];
}
