/**
 * Rapid step tests: saved to the original's `RapidStepTest` set and to the customer's own set scored
 * by startTime, in one atomic script that also answers with the customer's 4 newest tests — so a save
 * and the data for its risk score cost one round trip. From the 4th test on, the risk score is
 * published to `stedi-events`, for tests taken by hand and by the simulation alike.
 */
import type { Redis } from "ioredis";
import { parseRapidStepTest, serializeRapidStepTest, type RapidStepTest, type TestTiming } from "../../domain/rapid-step-test.js";
import { riskScore, TESTS_FOR_RISK_SCORE, type RiskScore } from "../../domain/risk-score.js";
import { DuplicateRapidStepTest, CustomerNotFound, NotEnoughTests } from "../errors.js";
import { redisKeys } from "./redis-keys.js";
import type { RiskEvents } from "./risk-events.js";

/**
 * KEYS: CustomerByEmail, RapidStepTest, RapidStepTest:<email>; ARGV: email, startTime, the member's
 * JSON up to `"customer":`. The member ends with the stored customer's JSON, read here, so the test
 * embeds exactly the customer that exists. Answers {-1} unknown customer, {-2} duplicate startTime,
 * else {count, newest 4 members…}.
 */
const SAVE_TEST = `
local customer = redis.call('HGET', KEYS[1], ARGV[1])
if not customer then return {-1} end
if redis.call('ZCOUNT', KEYS[3], ARGV[2], ARGV[2]) > 0 then return {-2} end
local member = ARGV[3] .. customer .. '}'
redis.call('ZADD', KEYS[2], 0, member)
redis.call('ZADD', KEYS[3], ARGV[2], member)
local result = redis.call('ZRANGE', KEYS[3], -${TESTS_FOR_RISK_SCORE}, -1)
table.insert(result, 1, redis.call('ZCARD', KEYS[3]))
return result`;

export interface SavedTest {
  readonly testsStored: number;
  readonly riskScore: RiskScore | null;
  /** Tests still needed before a risk score exists (0 once it does). */
  readonly testsNeeded: number;
  /** False when the score could not be published to Kafka (the test is saved all the same). */
  readonly published: boolean;
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
  readonly #events: RiskEvents;

  constructor(redis: Redis, events: RiskEvents) {
    this.#redis = redis;
    this.#events = events;
  }

  /** Saves a validated test for the customer with this email, then scores and publishes it. */
  async record(email: string, timing: TestTiming): Promise<SavedTest> {
    // The member up to the customer: serialise with a placeholder customer and cut it off.
    const placeholder = { customerName: "", email: "", phone: "", birthDay: "" };
    const full = serializeRapidStepTest({ ...timing, customer: placeholder });
    const head = full.slice(0, full.indexOf('"customer":') + '"customer":'.length);
    const reply = (await this.#redis.eval(SAVE_TEST, 3, redisKeys.customerByEmail, redisKeys.tests, redisKeys.testsOf(email), email, timing.startTime, head)) as [number, ...string[]];
    const [count, ...newest] = reply;
    if (count === -1) throw new CustomerNotFound(email);
    if (count === -2) throw new DuplicateRapidStepTest(email, new Date(timing.startTime).toISOString());
    const scored = riskScore(decodeMembers(newest));
    if (!scored.ok) return { testsStored: count, riskScore: null, testsNeeded: TESTS_FOR_RISK_SCORE - count, published: false };
    const published = await this.#events.publish(scored.value);
    return { testsStored: count, riskScore: scored.value, testsNeeded: 0, published };
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
