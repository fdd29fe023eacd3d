/**
 * The STEDI customer as the original app stored it: a JSON member of the `Customer` sorted set,
 * fields in this order — `{"customerName","email","phone","birthDay"}` (birthDay `YYYY-MM-DD`).
 * Pure: no I/O.
 */

import { parseJsonObject, type Parsed } from "./parsed.js";

export interface Customer {
  readonly customerName: string;
  readonly email: string;
  readonly phone: string;
  readonly birthDay: string;
}

/** Deliberately permissive (the original accepted any address) but never blank, spaced or without `@`. */
export const EMAIL_PATTERN = "^[^\\s@]+@[^\\s@]+$";
export const BIRTH_DAY_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";
const emailRegExp = new RegExp(EMAIL_PATTERN);
const birthDayRegExp = new RegExp(BIRTH_DAY_PATTERN);

/** Byte-compatible with the original's JSON: the field order is part of the format. */
export function serializeCustomer(customer: Customer): string {
  return JSON.stringify({
    customerName: customer.customerName,
    email: customer.email,
    phone: customer.phone,
    birthDay: customer.birthDay,
  });
}

/** The first part of birthDay split on "-", as the customer-risk job computes it. */
export function birthYear(customer: Pick<Customer, "birthDay">): number {
  return Number(customer.birthDay.split("-")[0]);
}

/** A real calendar date (rejects 2001-02-30) that is not in the future. */
export function isValidBirthDay(birthDay: string, now = Date.now()): boolean {
  if (!birthDayRegExp.test(birthDay)) return false;
  const date = new Date(`${birthDay}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(birthDay) && date.getTime() <= now;
}

/** Checks the fields of an already-decoded value; reasons name the field so a 4xx can say it. */
export function validateCustomer(input: unknown): Parsed<Customer> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, reason: "a customer must be a JSON object" };
  const record = input as Record<string, unknown>;
  for (const field of ["customerName", "email", "phone", "birthDay"] as const) {
    if (typeof record[field] !== "string") return { ok: false, reason: `customer.${field} must be a string` };
  }
  const customer = record as unknown as Customer;
  if (customer.customerName.trim() === "") return { ok: false, reason: "customer.customerName must not be blank" };
  if (!emailRegExp.test(customer.email)) return { ok: false, reason: `customer.email "${customer.email}" is not an email address` };
  if (!isValidBirthDay(customer.birthDay)) return { ok: false, reason: `customer.birthDay "${customer.birthDay}" is not a past date YYYY-MM-DD` };
  return {
    ok: true,
    value: { customerName: customer.customerName, email: customer.email, phone: customer.phone, birthDay: customer.birthDay },
  };
}

/** A `Customer` sorted-set member → Customer. */
export function parseCustomer(json: string): Parsed<Customer> {
  const decoded = parseJsonObject(json, "customer member");
  return decoded.ok ? validateCustomer(decoded.value) : decoded;
}
