/**
 * Input records for the benchmarks, in the real formats: a customer as the ZADD on `Customer` that
 * the CDC source publishes to redis-server when the app saves one, a score as the app publishes it
 * to stedi-events. Each score's value carries the event's sequence number (its score, plus 0.5), so
 * the customer-risk record it becomes names the event it came from. Pure: no I/O.
 */
import { serializeCustomer } from "../../src/domain/customer.js";
import { zaddValue } from "../../src/domain/redis-server.js";
import { formatStediEvent } from "../../src/domain/stedi-events.js";

/** The Redis key the app saves customers under, and the CDC's `command` header of a ZADD. */
export const CUSTOMER_KEY = "Customer";
export const ZADD_HEADER = { name: "command", value: "ZADD" } as const;

export const benchEmail = (index: number): string => `bench.customer${index}@test.com`;

/** The redis-server value of one customer's registration (ZADD Customer 0 <customer JSON>). */
export function customerValue(index: number): string {
  const customer = { customerName: `Bench ${index}`, email: benchEmail(index), phone: "8015551212", birthDay: `${1937 + (index % 29)}-01-01` };
  return zaddValue(Buffer.from(CUSTOMER_KEY), [{ element: Buffer.from(serializeCustomer(customer)), score: 0 }]);
}

/** The score of event `sequence`, for customer `sequence % customers`, tested at `riskDate` (ms since the epoch). */
export function scoreEvent(sequence: number, customers: number, riskDate: number): { key: string; value: string } {
  const customer = benchEmail(sequence % customers);
  return { key: customer, value: formatStediEvent({ customer, score: sequence + 0.5, riskDate: new Date(riskDate).toISOString() }) };
}

/** The event a customer-risk record came from: its score's sequence number, undefined for a foreign record. */
export function eventSequence(customerRiskValue: string): number | undefined {
  try {
    const score = Number((JSON.parse(customerRiskValue) as { score?: unknown }).score);
    return Number.isFinite(score) ? Math.floor(score) : undefined;
  } catch {
    return undefined;
  }
}
