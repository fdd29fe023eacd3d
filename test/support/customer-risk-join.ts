/**
 * The join customer-risk must hold, computed from its input topics, and how the topic's records
 * compare with it. Pure: the tests read the topics and pass the records in.
 *
 * A customer-risk record carries no riskDate ({customer, score, email, birthYear}), and a customer
 * scores the same value on different days (scores have two decimals; the simulation has few
 * customers scoring for hours): two records with the same value are most often two scores, not
 * one written twice. So the join is a multiset: each value is expected as many times as there are
 * distinct (customer, riskDate) scores giving it.
 */
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

/** A customer-risk value as the join's rows are counted: customer|score|birthYear. */
export function rowOf(record: KafkaRecord): string {
  const risk = JSON.parse(record.value) as { customer: string; score: string; birthYear: string };
  return `${risk.customer}|${Number(risk.score)}|${risk.birthYear}`;
}

/** The join the job must write: value → how many times, one per distinct (customer, riskDate) score of a known customer. */
export function expectedJoin(customers: ReadonlyMap<string, string>, events: readonly KafkaRecord[]): Map<string, number> {
  const scored = new Set<string>();
  const rows = new Map<string, number>();
  for (const record of events) {
    const event = JSON.parse(record.value) as { customer: string; score: number; riskDate: string };
    const birthYear = customers.get(event.customer);
    const score = `${event.customer}|${event.riskDate}`;
    // A score re-sent (a producer retry, an outbox re-relay) is still one score.
    if (birthYear === undefined || scored.has(score)) continue;
    scored.add(score);
    const row = `${event.customer}|${event.score}|${birthYear}`;
    rows.set(row, (rows.get(row) ?? 0) + 1);
  }
  return rows;
}

export interface JoinComparison {
  /** Rows expected, counting repeats. */
  readonly expected: number;
  /** Records written. */
  readonly written: number;
  /** Expected rows written fewer times than expected, each missing occurrence once. */
  readonly lost: readonly string[];
  /** Written values the join does not hold at all. */
  readonly unexpected: readonly string[];
  /** Records beyond the expected count of their value: a score written twice. */
  readonly duplicated: number;
}

/** Counts each value in the written rows against the expected multiset. */
export function compareJoin(expected: ReadonlyMap<string, number>, writtenRows: readonly string[]): JoinComparison {
  const written = new Map<string, number>();
  for (const row of writtenRows) written.set(row, (written.get(row) ?? 0) + 1);
  const lost: string[] = [];
  for (const [row, count] of expected) for (let missing = count - (written.get(row) ?? 0); missing > 0; missing--) lost.push(row);
  const unexpected = [...written.keys()].filter((row) => !expected.has(row));
  let duplicated = 0;
  for (const [row, count] of written) if (expected.has(row)) duplicated += Math.max(0, count - expected.get(row)!);
  const expectedRows = [...expected.values()].reduce((sum, count) => sum + count, 0);
  return { expected: expectedRows, written: writtenRows.length, lost, unexpected, duplicated };
}
