/**
 * The `customer-risk` topic's format (SPEC §2), the join the graph plots: key the email, value
 * `{"customer":"Santosh.Fibonnaci@test.com","score":"28.5","email":"Santosh.Fibonnaci@test.com","birthYear":"1963"}`
 * — fields in this order, score and birthYear as strings. Pure: no I/O.
 *
 * Each record also carries the header `stedi-risk-date`: the riskDate of the score it joins. With
 * the key it is the score's identity, the same on every copy of the record: the job's Kafka sink
 * is at-least-once and writes a batch again after a crash, and an equal score on another day has
 * another riskDate.
 */
import { parseJsonObject, type Parsed } from "./parsed.js";

/** The header naming a record's score (its riskDate, ISO-8601 text); records written before it have none. */
export const RISK_DATE_HEADER = "stedi-risk-date";

/** A customer-risk record's identity, key + riskDate header; null for a record without the header. */
export function customerRiskIdentity(key: string, riskDate: string | undefined): string | null {
  return riskDate === undefined ? null : `${key}\u0000${riskDate}`;
}

export interface CustomerRisk {
  readonly customer: string;
  readonly score: number;
  readonly email: string;
  readonly birthYear: number;
}

export function formatCustomerRisk(risk: CustomerRisk): string {
  return JSON.stringify({ customer: risk.customer, score: String(risk.score), email: risk.email, birthYear: String(risk.birthYear) });
}

/** Numbers as strings (the format) or as numbers (lenient: a job that wrote numbers still plots). */
function numeric(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function parseCustomerRisk(json: string): Parsed<CustomerRisk> {
  const decoded = parseJsonObject(json, "customer-risk value");
  if (!decoded.ok) return decoded;
  const record = decoded.value;
  const customer = typeof record.customer === "string" ? record.customer : undefined;
  const email = typeof record.email === "string" ? record.email : customer;
  if (!customer || !email) return { ok: false, reason: "customer (an email) is missing" };
  const score = numeric(record.score);
  if (score === undefined) return { ok: false, reason: `score ${JSON.stringify(record.score)} is not a number` };
  const birthYear = numeric(record.birthYear);
  if (birthYear === undefined || !Number.isInteger(birthYear) || birthYear < 1800 || birthYear > 2200) {
    return { ok: false, reason: `birthYear ${JSON.stringify(record.birthYear)} is not a year` };
  }
  return { ok: true, value: { customer, score, email, birthYear } };
}
