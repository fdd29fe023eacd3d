import type { StediConfig } from "../config.js";

/** Tunables of the app beyond the addresses in StediConfig; every field has a production default. */
export interface AppOptions {
  /** scrypt cost N (a power of two). Tests lower it; production keeps the default. */
  readonly scryptCost: number;
  /** How long a session token stays valid after login. */
  readonly sessionTtlSeconds: number;
  /** Login attempts per user name and client address per window before 429. */
  readonly loginRateLimit: RateLimit;
  /**
   * Login attempts per client address, whatever the user names: each costs a scrypt, so spraying
   * names must be bounded too.
   */
  readonly loginClientRateLimit: RateLimit;
  /** Accounts created (`POST /user`, a scrypt each) per client address per window. */
  readonly signupClientRateLimit: RateLimit;
  /**
   * A user seeded at start and shown on the login page; null for none. Its password is public, so
   * it exists only while the app listens on a loopback address, unless `demoUserOnAnyAddress`.
   */
  readonly demoUser: { readonly userName: string; readonly password: string } | null;
  readonly demoUserOnAnyAddress: boolean;
  /**
   * Set by `optionsForHost` when the demo account is withheld (not loopback): an earlier loopback
   * run may have created it, and an account with a public password must not stay reachable.
   */
  readonly withheldDemoUser?: { readonly userName: string; readonly password: string };
  readonly simulation: {
    /** Start simulating as soon as the app is up (`stedi app --sim`, `npm start`). */
    readonly autoStart: boolean;
    /** Time compression: 1 = the original's one round a minute, 60 = one round a second. */
    readonly speed: number;
    /** PRNG seed, for deterministic runs; undefined = random. */
    readonly seed: number | undefined;
    readonly customers: number;
    /** The simulated customers' email domain (SPEC: test.com); tests use their own to stay apart. */
    readonly emailDomain: string;
  };
  /** How many customer-risk records the graph keeps and shows to a page on load. */
  readonly riskHistorySize: number;
  /** Bytes a graph page may leave unread before its stream is dropped (it resumes from its Last-Event-ID). */
  readonly sseMaxBufferedBytes: number;
  /** How often an open graph stream re-checks its session, so a logout or expiry ends it. */
  readonly sseSessionCheckMs: number;
  /** Consume the risk topic for the graph; off for apps that only serve the API (benchmarks). */
  readonly riskFeed: boolean;
  /** pino level; request logging is at debug so that load tests do not drown the log. */
  readonly logLevel: string;
  /** Where log lines go (default stdout); tests read them to check that no secret is logged. */
  readonly logStream?: { write(line: string): void };
}

export interface RateLimit {
  readonly max: number;
  readonly timeWindowMs: number;
}

export const defaultAppOptions: AppOptions = {
  scryptCost: 2 ** 15,
  sessionTtlSeconds: 8 * 60 * 60,
  loginRateLimit: { max: 10, timeWindowMs: 60_000 },
  loginClientRateLimit: { max: 30, timeWindowMs: 60_000 },
  signupClientRateLimit: { max: 10, timeWindowMs: 60_000 },
  demoUser: { userName: "demo", password: "stedi-demo-2024" },
  demoUserOnAnyAddress: false,
  simulation: { autoStart: false, speed: 1, seed: undefined, customers: 30, emailDomain: "test.com" },
  riskHistorySize: 500,
  sseMaxBufferedBytes: 1024 * 1024,
  sseSessionCheckMs: 5_000,
  riskFeed: true,
  logLevel: "info",
};

export type AppOverrides = Partial<Omit<AppOptions, "simulation">> & { simulation?: Partial<AppOptions["simulation"]> };

export function appOptions(overrides: AppOverrides = {}): AppOptions {
  return { ...defaultAppOptions, ...overrides, simulation: { ...defaultAppOptions.simulation, ...overrides.simulation } };
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach an app listening there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || /^::ffff:127\./.test(bare);
}

/** The options as the app applies them on `host`: no demo account (its password is public) beyond loopback unless asked. */
export function optionsForHost(options: AppOptions, host: string): AppOptions {
  if (options.demoUser === null || options.demoUserOnAnyAddress || isLoopbackHost(host)) return options;
  return { ...options, demoUser: null, withheldDemoUser: options.demoUser };
}

/** What the app plugin receives: the system's configuration and the app's own options. */
export interface StediAppPluginOptions {
  readonly config: StediConfig;
  readonly options: AppOptions;
}
