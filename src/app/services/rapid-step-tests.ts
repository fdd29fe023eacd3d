/**
 * Rapid step tests: saved to the original's `RapidStepTest` set and to the customer's own set scored
 * by startTime. From the 4th test on, the risk score goes into the outbox (a Redis Stream in the
 * secrets db, which the CDC source never publishes) in the same atomic script as the test, so a
 * score exists exactly when its test does; the relay takes it from there to `stedi-events`. Saving
 * never waits for Kafka.
 */
import type { Redis } from "ioredis";
import { parseCustomer } from "../../domain/customer.js";
import { parseRapidStepTest, serializeRapidStepTest, type RapidStepTest, type TestTiming } from "../../domain/rapid-step-test.js";
import { riskScore, TESTS_FOR_RISK_SCORE, type RiskScore } from "../../domain/risk-score.js";
import { formatStediEvent, stediEvent } from "../../domain/stedi-events.js";
import { CustomerNotFound, DuplicateRapidStepTest, NotEnoughTests, SaveConflict } from "../errors.js";
import { redisKeys } from "./redis-keys.js";

/**
 * KEYS: CustomerByEmail, RapidStepTest, RapidStepTest:<email>, the outbox (in the secrets db).
 * ARGV: email, startTime, the member, the customer JSON the member embeds, the secrets db, the
 * outbox record's key and value ('' for none), the tests kept per customer, n, then the n newest
 * members the score was computed from. The score is computed by the caller from what it read
 * before; if the customer or their newest tests changed meanwhile, nothing is written and the
 * answer is -3 (read again and retry). Beyond the tests kept, the customer's oldest go from both
 * sets (by ZREM, which the CDC source publishes as such); the newest, which the score uses, stay.
 * Answers -1 unknown customer, -2 duplicate startTime, else the customer's test count.
 */
/** The most tests one save removes beyond the bound. */
const TRIM_PER_SAVE = 1_000;

const SAVE_TEST = `
local customer = redis.call('HGET', KEYS[1], ARGV[1])
if not customer then return -1 end
if customer ~= ARGV[4] then return -3 end
if redis.call('ZCOUNT', KEYS[3], ARGV[2], ARGV[2]) > 0 then return -2 end
local newest = redis.call('ZRANGE', KEYS[3], -${TESTS_FOR_RISK_SCORE}, -1)
local n = tonumber(ARGV[9])
if #newest ~= n then return -3 end
for i = 1, n do
  if newest[i] ~= ARGV[9 + i] then return -3 end
end
redis.call('ZADD', KEYS[2], 0, ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
local count = redis.call('ZCARD', KEYS[3])
local kept = tonumber(ARGV[8])
if count > kept then
  -- At most ${TRIM_PER_SAVE} at a time (unpack's limit): after the bound was lowered, a few saves reach it.
  local oldest = redis.call('ZRANGE', KEYS[3], 0, math.min(count - kept, ${TRIM_PER_SAVE}) - 1)
  redis.call('ZREM', KEYS[3], unpack(oldest))
  redis.call('ZREM', KEYS[2], unpack(oldest))
  count = count - #oldest
end
if ARGV[7] ~= '' then
  -- A script's SELECT is its own: the caller's connection stays on the data db.
  redis.call('SELECT', tonumber(ARGV[5]))
  redis.call('XADD', KEYS[4], '*', 'key', ARGV[6], 'value', ARGV[7])
end
return count`;

/** Concurrent saves for one customer are rare (one therapist, one timer): a few rereads settle them. */
const SAVE_ATTEMPTS = 5;

export interface SavedTest {
  readonly testsStored: number;
  readonly riskScore: RiskScore | null;
  /** Tests still needed before a risk score exists (0 once it does). */
  readonly testsNeeded: number;
  /** True when a risk score was stored in the outbox with the test; the relay delivers it to Kafka. */
  readonly queued: boolean;
}

export interface OutboxAddress {
  /** The db of the outbox: the secrets db, never published by the CDC source. */
  readonly db: number;
  readonly key: string;
}

function decodeMembers(members: readonly string[]): RapidStepTest[] {
  return members.map((member) => {
    const parsed = parseRapidStepTest(member);
    if (!parsed.ok) throw new Error(`a stored rapid step test does not decode: ${parsed.reason}`);
    return parsed.value;
  });
}

export class RapidStepTests {
  readonly #redis: Redis;
  readonly #outbox: OutboxAddress;
  readonly #keptPerCustomer: number;

  /** `keptPerCustomer`: how many of each customer's newest tests stay stored (at least the 4 of a risk score). */
  constructor(redis: Redis, outbox: OutboxAddress, keptPerCustomer: number) {
    if (!Number.isInteger(keptPerCustomer) || keptPerCustomer < TESTS_FOR_RISK_SCORE) {
      throw new RangeError(`keptPerCustomer must be a whole number of at least ${TESTS_FOR_RISK_SCORE}, not ${keptPerCustomer}`);
    }
    this.#redis = redis;
    this.#outbox = outbox;
    this.#keptPerCustomer = keptPerCustomer;
  }

  /** Saves a validated test for the customer with this email, with its risk score when it has one. */
  async record(email: string, timing: TestTiming): Promise<SavedTest> {
    for (let attempt = 1; ; attempt++) {
      const saved = await this.#trySave(email, timing);
      if (saved !== null) return saved;
      if (attempt === SAVE_ATTEMPTS) throw new SaveConflict(email);
    }
  }

  /** One read-compute-write round; null when the customer's tests changed in between. */
  async #trySave(email: string, timing: TestTiming): Promise<SavedTest | null> {
    const [[, customerJson], [, newest]] = (await this.#redis
      .multi()
      .hget(redisKeys.customerByEmail, email)
      .zrange(redisKeys.testsOf(email), -TESTS_FOR_RISK_SCORE, -1)
      .exec()) as [[null, string | null], [null, string[]]];
    if (customerJson === null) throw new CustomerNotFound(email);
    const customer = parseCustomer(customerJson);
    if (!customer.ok) throw new Error(`the stored customer ${email} does not decode: ${customer.reason}`);
    const test: RapidStepTest = { ...timing, customer: customer.value };
    const scored = riskScore([...decodeMembers(newest), test]);
    const event = scored.ok ? stediEvent(scored.value) : null;
    const count = (await this.#redis.eval(
      SAVE_TEST,
      4,
      redisKeys.customerByEmail,
      redisKeys.tests,
      redisKeys.testsOf(email),
      this.#outbox.key,
      email,
      timing.startTime,
      serializeRapidStepTest(test),
      customerJson,
      this.#outbox.db,
      event?.customer ?? "",
      event ? formatStediEvent(event) : "",
      this.#keptPerCustomer,
      newest.length,
      ...newest,
    )) as number;
    if (count === -1) throw new CustomerNotFound(email);
    if (count === -2) throw new DuplicateRapidStepTest(email, new Date(timing.startTime).toISOString());
    if (count === -3) return null;
    if (!scored.ok) return { testsStored: count, riskScore: null, testsNeeded: TESTS_FOR_RISK_SCORE - count, queued: false };
    return { testsStored: count, riskScore: scored.value, testsNeeded: 0, queued: true };
  }

  /** The customer's tests by startTime, oldest first, at most `limit` of the newest. */
  async history(email: string, limit: number): Promise<RapidStepTest[]> {
    const [[, exists], [, members]] = (await this.#redis
      .multi()
      .hexists(redisKeys.customerByEmail, email)
      .zrange(redisKeys.testsOf(email), -limit, -1)
      .exec()) as [[null, number], [null, string[]]];
    if (exists !== 1) throw new CustomerNotFound(email);
    return decodeMembers(members);
  }

  async riskScore(email: string): Promise<RiskScore> {
    const tests = await this.history(email, TESTS_FOR_RISK_SCORE);
    const scored = riskScore(tests);
    if (!scored.ok) throw new NotEnoughTests(`Customer ${email}: ${scored.reason}`);
    return scored.value;
  }
}
