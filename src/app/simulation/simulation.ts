/**
 * The simulation (SPEC §4): creates up to 30 customers, then runs rounds of one rapid step test per
 * customer. A customer's first test lasts 61–120 s; later tests of the 1950–1960 cohort get 0–3 s
 * slower each round, everyone else's are random 61–120 s again. The original ran a round a minute;
 * `speed` compresses real time (speed 60 = a round a second; the first rounds always run that fast) while the tests' own timestamps advance a
 * simulated minute per round, so every customer's tests stay in startTime order at any speed.
 * Tests go through the same service as the API, so scores reach `stedi-events` just the same.
 * A running simulation spreads each round's tests evenly over the round, as tests taken side by side
 * end at different moments (their startTimes are a simulated second apart): a score reaches the
 * graph every 2 s at the default speed, instead of 30 in one burst a minute that the streaming job
 * would take in two micro-batches.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import { birthYear, type Customer } from "../../domain/customer.js";
import { STEPS_PER_TEST, type TestTiming } from "../../domain/rapid-step-test.js";
import { CustomerExists } from "../errors.js";
import type { Customers } from "../services/customers.js";
import type { RapidStepTests } from "../services/rapid-step-tests.js";
import { Random } from "./random.js";
import { isDecliningCohort, simulatedCustomers } from "./simulated-customers.js";

const ROUND_MS = 60_000;
/**
 * The first rounds of a run go at least a round a second, so that a new graph fills within seconds;
 * then the configured speed (default 1, the original's round a minute: 30 scores a minute, which a
 * system left running for days stores and streams without filling the disk).
 */
const WARM_UP_ROUNDS = 10;
const WARM_UP_SPEED = 60;

export interface SimulationStatus {
  readonly active: boolean;
  readonly speed: number;
  readonly seed: number;
  readonly customers: number;
  readonly rounds: number;
  readonly testsSaved: number;
  readonly scoresPublished: number;
  readonly errors: number;
}

export interface SimulationOptions {
  readonly speed: number;
  readonly seed: number | undefined;
  readonly customers: number;
  readonly emailDomain: string;
}

/** 30 step durations (ms) that add up to no more than the test. */
function stepPoints(duration: number, random: Random): number[] {
  const weights = Array.from({ length: STEPS_PER_TEST }, () => 0.5 + random.next());
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => Math.floor((weight / total) * duration));
}

export class Simulation {
  readonly #customers: Customers;
  readonly #tests: RapidStepTests;
  readonly #log: FastifyBaseLogger;
  readonly #options: SimulationOptions;
  #random: Random;
  #seed: number;
  #timer: NodeJS.Timeout | undefined;
  /** Ends the pause between a round's tests when the simulation stops. */
  #pacing = new AbortController();
  #running: Promise<void> | undefined;
  #active = false;
  #people: Customer[] = [];
  readonly #lastDuration = new Map<string, number>();
  #clock = 0;
  #rounds = 0;
  #testsSaved = 0;
  #scoresPublished = 0;
  #errors = 0;

  constructor(deps: { customers: Customers; tests: RapidStepTests; log: FastifyBaseLogger }, options: SimulationOptions) {
    this.#customers = deps.customers;
    this.#tests = deps.tests;
    this.#log = deps.log;
    this.#options = options;
    this.#seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.#random = new Random(this.#seed);
  }

  get status(): SimulationStatus {
    return {
      active: this.#active,
      speed: this.#options.speed,
      seed: this.#seed,
      customers: this.#people.length,
      rounds: this.#rounds,
      testsSaved: this.#testsSaved,
      scoresPublished: this.#scoresPublished,
      errors: this.#errors,
    };
  }

  /** Starts (or keeps running); the first round runs at once. */
  async start(): Promise<SimulationStatus> {
    if (this.#active) return this.status;
    this.#active = true;
    this.#pacing = new AbortController();
    if (this.#people.length === 0) await this.#createCustomers();
    this.#log.info({ speed: this.#options.speed, seed: this.#seed, customers: this.#people.length }, "simulation started");
    this.#schedule(0);
    return this.status;
  }

  /** Stops after the test in progress, if any: the rest of its round is not taken. */
  async stop(): Promise<SimulationStatus> {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#pacing.abort();
    await this.#running;
    this.#log.info({ rounds: this.#rounds, testsSaved: this.#testsSaved }, "simulation stopped");
    return this.status;
  }

  /**
   * Runs one round now: a test per customer, saved back to back (tests call this to step the
   * simulation deterministically), or spread evenly over `spreadMs` (a running simulation: its round's length).
   */
  async round(spreadMs = 0): Promise<void> {
    if (this.#people.length === 0) await this.#createCustomers();
    // Tests of a round start within its simulated minute; the clock never runs behind real time.
    this.#clock = Math.max(Date.now() - 2 * ROUND_MS, this.#clock + ROUND_MS);
    const started = Date.now();
    for (const [index, customer] of this.#people.entries()) {
      if (spreadMs > 0 && !(await this.#pause(started + (index * spreadMs) / this.#people.length - Date.now()))) break;
      const duration = this.#nextDuration(customer);
      const startTime = this.#clock + index * 1000 + this.#random.int(0, 999);
      const timing: TestTiming = { startTime, stepPoints: stepPoints(duration, this.#random), stopTime: startTime + duration, testTime: duration, totalSteps: STEPS_PER_TEST };
      try {
        const saved = await this.#tests.record(customer.email, timing);
        this.#lastDuration.set(customer.email, duration);
        this.#testsSaved++;
        if (saved.queued) this.#scoresPublished++;
      } catch (error) {
        this.#errors++;
        this.#log.warn({ err: error, customer: customer.email }, "simulation: a test could not be saved");
      }
    }
    this.#rounds++;
  }

  /** Waits `ms`; false when the simulation stopped meanwhile. */
  async #pause(ms: number): Promise<boolean> {
    if (ms > 0) await sleep(ms, undefined, { signal: this.#pacing.signal }).catch(() => undefined);
    return !this.#pacing.signal.aborted;
  }

  #nextDuration(customer: Customer): number {
    const last = this.#lastDuration.get(customer.email);
    if (last !== undefined && isDecliningCohort(birthYear(customer))) return last + this.#random.int(0, 3000);
    return this.#random.int(61_000, 120_000);
  }

  async #createCustomers(): Promise<void> {
    const people = simulatedCustomers(this.#options.customers, this.#random, this.#options.emailDomain);
    for (const customer of people) {
      try {
        await this.#customers.create(customer);
      } catch (error) {
        if (!(error instanceof CustomerExists)) throw error;
      }
    }
    // A customer that existed already keeps its stored record (and birth year), and the simulated
    // clock resumes after their newest test so that new tests sort after the old ones.
    this.#people = await Promise.all(people.map((customer) => this.#customers.get(customer.email)));
    for (const customer of this.#people) {
      const [newest] = await this.#tests.history(customer.email, 1);
      if (newest === undefined) continue;
      this.#clock = Math.max(this.#clock, newest.startTime);
      this.#lastDuration.set(customer.email, newest.stopTime - newest.startTime);
    }
  }

  /** A round's length in real time: a round a second while warming up, then at the configured speed. */
  #roundMs(): number {
    const speed = this.#rounds < WARM_UP_ROUNDS ? Math.max(WARM_UP_SPEED, this.#options.speed) : this.#options.speed;
    return ROUND_MS / speed;
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => {
      if (!this.#active) return;
      const started = Date.now();
      this.#running = this.round(this.#roundMs())
        .catch((error: unknown) => {
          this.#errors++;
          this.#log.error({ err: error }, "simulation round failed");
        })
        .finally(() => {
          this.#running = undefined;
          if (this.#active) this.#schedule(Math.max(0, this.#roundMs() - (Date.now() - started)));
        });
    }, delay);
  }
}
