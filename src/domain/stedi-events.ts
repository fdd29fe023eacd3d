/**
 * The `stedi-events` topic's format (SPEC §2): key the customer's email, value
 * `{"customer":"Jason.Mitra@test.com","score":7.0,"riskDate":"2020-09-14T07:54:06.417Z"}` — score a JSON
 * number written with at least one decimal (as the original's Java double), riskDate ISO-8601 UTC with
 * milliseconds. Pure: no I/O.
 */
import type { Parsed } from "./parsed.js";
import type { RiskScore } from "./risk-score.js";

/** A finite number as Java writes a double: `7.0`, `-0.5`, `28.25`. */
export function jsonDouble(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be written as a JSON number`);
  const text = JSON.stringify(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

export interface StediEvent {
  readonly customer: string;
  readonly score: number;
  readonly riskDate: string;
}

export function stediEvent(score: RiskScore): StediEvent {
  return { customer: score.customer, score: score.score, riskDate: new Date(score.riskDate).toISOString() };
}

export function formatStediEvent(event: StediEvent): string {
  return `{"customer":${JSON.stringify(event.customer)},"score":${jsonDouble(event.score)},"riskDate":${JSON.stringify(event.riskDate)}}`;
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function parseStediEvent(json: string): Parsed<StediEvent> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(json);
  } catch {
    return { ok: false, reason: "stedi-events value is not JSON" };
  }
  if (typeof decoded !== "object" || decoded === null) return { ok: false, reason: "stedi-events value must be a JSON object" };
  const { customer, score, riskDate } = decoded as Record<string, unknown>;
  if (typeof customer !== "string" || customer === "") return { ok: false, reason: "customer must be a non-empty string" };
  if (typeof score !== "number" || !Number.isFinite(score)) return { ok: false, reason: "score must be a number" };
  if (typeof riskDate !== "string" || !ISO_MILLIS.test(riskDate) || Number.isNaN(Date.parse(riskDate))) {
    return { ok: false, reason: "riskDate must be ISO-8601 UTC with milliseconds" };
  }
  return { ok: true, value: { customer, score, riskDate } };
}
