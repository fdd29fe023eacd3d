/**
 * The `stedi-events` topic's format (SPEC §2): key the customer's email, value
 * `{"customer":"Jason.Mitra@test.com","score":7.0,"riskDate":"2020-09-14T07:54:06.417Z"}` — score a JSON
 * number written with at least one decimal (as the original's Java double), riskDate ISO-8601 UTC with
 * milliseconds. Pure: no I/O.
 */
import { javaDouble } from "./java-double.js";
import { parseJsonObject, type Parsed } from "./parsed.js";
import type { RiskScore } from "./risk-score.js";

export interface StediEvent {
  readonly customer: string;
  readonly score: number;
  readonly riskDate: string;
}

export function stediEvent(score: RiskScore): StediEvent {
  return { customer: score.customer, score: score.score, riskDate: new Date(score.riskDate).toISOString() };
}

export function formatStediEvent(event: StediEvent): string {
  return `{"customer":${JSON.stringify(event.customer)},"score":${javaDouble(event.score)},"riskDate":${JSON.stringify(event.riskDate)}}`;
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function parseStediEvent(json: string): Parsed<StediEvent> {
  const decoded = parseJsonObject(json, "stedi-events value");
  if (!decoded.ok) return decoded;
  const { customer, score, riskDate } = decoded.value;
  if (typeof customer !== "string" || customer === "") return { ok: false, reason: "customer must be a non-empty string" };
  if (typeof score !== "number" || !Number.isFinite(score)) return { ok: false, reason: "score must be a number" };
  if (typeof riskDate !== "string" || !ISO_MILLIS.test(riskDate) || Number.isNaN(Date.parse(riskDate))) {
    return { ok: false, reason: "riskDate must be ISO-8601 UTC with milliseconds" };
  }
  return { ok: true, value: { customer, score, riskDate } };
}
