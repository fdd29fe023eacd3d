/**
 * The join customer-risk must hold, computed from its input topics, and how the topic's records
 * compare with it. Pure: the tests read the topics and pass the records in.
 *
 * A score is one (customer, riskDate) of stedi-events, and each customer-risk record names the
 * score it joins: key = the customer's email, header `stedi-risk-date` = the riskDate. The value
 * alone cannot tell (a customer scores the same value on different days), the identity can:
 * - lost: an expected score no record carries with its expected value;
 * - unexpected: a record naming a score the join does not hold, or holding another value for it;
 * - re-written: the same score with the same value more than once. Spark's Kafka sink is
 *   at-least-once, so a batch written before a crash but not committed is written again on
 *   restart: allowed, reported with counts;
 * - duplicated: one score written with two different values (a reader keeping the first copy could
 *   show the wrong one), or, for records without the header, a value beyond its expected count.
 * Records without the header (written before the job set it) are matched as a multiset of values
 * against the expected scores no identified record carries, and counted as `unidentified`.
 */
import { RISK_DATE_HEADER } from "../../src/domain/customer-risk.js";
import type { KafkaRecord } from "./kafka.js";

/** Every Customer ZADD member in redis-server: email → birth year (an email's first record wins, as the job's dedup keeps it). */
export function customersIn(records: readonly KafkaRecord[]): Map<string, string> {
  const customers = new Map<string, string>();
  for (const record of records) {
    const command = JSON.parse(record.value) as { key?: string; zSetEntries?: { element: string }[] };
    if (Buffer.from(command.key ?? "", "base64").toString() !== "Customer") continue;
    for (const entry of command.zSetEntries ?? []) {
      const customer = JSON.parse(Buffer.from(entry.element, "base64").toString()) as { email?: string; birthDay?: string };
      if (customer.email && customer.birthDay && !customers.has(customer.email)) customers.set(customer.email, customer.birthDay.split("-")[0]!);
    }
  }
  return customers;
}

/** A customer-risk value as the join's rows are compared: customer|score|birthYear. */
export function rowOf(record: KafkaRecord): string {
  const risk = JSON.parse(record.value) as { customer: string; score: string; birthYear: string };
  return `${risk.customer}|${Number(risk.score)}|${risk.birthYear}`;
}

/** The score a record or an event names, `email|riskDate`; null for a customer-risk record without the header. */
export function identityOf(record: KafkaRecord): string | null {
  const riskDate = record.headers?.[RISK_DATE_HEADER];
  return riskDate === undefined ? null : `${record.key}|${riskDate}`;
}

/** An expected score: its row, and its riskDate (for the reports). */
export interface ExpectedScore {
  readonly row: string;
  readonly riskDate: string;
}

/** The join the job must write: score identity (email|riskDate) → row, one per distinct (customer, riskDate) score of a known customer. */
export function expectedJoin(customers: ReadonlyMap<string, string>, events: readonly KafkaRecord[]): Map<string, ExpectedScore> {
  const scores = new Map<string, ExpectedScore>();
  for (const record of events) {
    const event = JSON.parse(record.value) as { customer: string; score: number; riskDate: string };
    const birthYear = customers.get(event.customer);
    const identity = `${event.customer}|${event.riskDate}`;
    // A score re-sent (a producer retry, an outbox re-relay) is still one score: the first copy counts, as the job's dedup keeps it.
    if (birthYear === undefined || scores.has(identity)) continue;
    scores.set(identity, { row: `${event.customer}|${event.score}|${birthYear}`, riskDate: event.riskDate });
  }
  return scores;
}

export interface JoinComparison {
  /** Scores expected. */
  readonly expected: number;
  /** Records written. */
  readonly written: number;
  /** Expected scores not written with their value, as `row (riskDate …)`. */
  readonly lost: readonly string[];
  /** Records naming a score outside the join or holding another value for it, as `row (riskDate …)`; header-less values outside the join, as `row`. */
  readonly unexpected: readonly string[];
  /** Copies beyond the first of a score written with its value: a re-written batch (allowed). */
  readonly rewritten: number;
  /** Scores written with its value more than once. */
  readonly rewrittenScores: number;
  /** Scores written with two or more values, plus header-less records beyond their value's expected count. */
  readonly duplicated: number;
  /** Records without the identity header. */
  readonly unidentified: number;
}

const described = (row: string, riskDate: string): string => `${row} (riskDate ${riskDate})`;

/** Matches the written records with the expected scores by identity, and the header-less ones by value. */
export function compareJoin(expected: ReadonlyMap<string, ExpectedScore>, records: readonly KafkaRecord[]): JoinComparison {
  const valuesByScore = new Map<string, Map<string, number>>();
  const unidentifiedRows = new Map<string, number>();
  let unidentified = 0;
  for (const record of records) {
    const identity = identityOf(record);
    const row = rowOf(record);
    if (identity === null) {
      unidentified += 1;
      unidentifiedRows.set(row, (unidentifiedRows.get(row) ?? 0) + 1);
      continue;
    }
    const values = valuesByScore.get(identity) ?? new Map<string, number>();
    values.set(row, (values.get(row) ?? 0) + 1);
    valuesByScore.set(identity, values);
  }
  const unexpected: string[] = [];
  let rewritten = 0;
  let rewrittenScores = 0;
  let duplicated = 0;
  for (const [identity, values] of valuesByScore) {
    const score = expected.get(identity);
    const riskDate = identity.slice(identity.indexOf("|") + 1);
    if (values.size > 1) duplicated += 1;
    for (const [row, count] of values) {
      if (score?.row !== row) unexpected.push(described(row, riskDate));
      else if (count > 1) {
        rewritten += count - 1;
        rewrittenScores += 1;
      }
    }
  }
  // Expected scores no identified record carries with its value: a header-less record of that value may stand for one.
  const lost: string[] = [];
  const unmatchedRows = new Map<string, number>();
  for (const [identity, score] of expected) {
    if (valuesByScore.get(identity)?.has(score.row)) continue;
    if ((unidentifiedRows.get(score.row) ?? 0) > (unmatchedRows.get(score.row) ?? 0)) unmatchedRows.set(score.row, (unmatchedRows.get(score.row) ?? 0) + 1);
    else lost.push(described(score.row, score.riskDate));
  }
  const expectedRows = new Set([...expected.values()].map((score) => score.row));
  for (const [row, count] of unidentifiedRows) {
    if (!expectedRows.has(row)) unexpected.push(row);
    else duplicated += count - (unmatchedRows.get(row) ?? 0);
  }
  return { expected: expected.size, written: records.length, lost, unexpected, rewritten, rewrittenScores, duplicated, unidentified };
}
