/**
 * JSON pieces written exactly as the original Java connector (Jackson) wrote them. Values are built
 * by hand rather than with JSON.stringify because the format is byte-exact: doubles keep their `.0`,
 * field order is fixed.
 */

import { javaDouble } from "./java-double.js";

/**
 * A double as Jackson writes it: Java's `Double.toString` (`1.0E7`), non-finite values quoted, as
 * Jackson's default QUOTE_NON_NUMERIC_NUMBERS does (a Redis score can be inf).
 */
export function jacksonDouble(value: number): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  return javaDouble(value);
}

/** Standard base64 with padding, quoted. */
export function jsonBase64(bytes: Buffer): string {
  return `"${bytes.toString("base64")}"`;
}

export function jsonString(text: string): string {
  return JSON.stringify(text);
}

/** An integer argument (already checked to be digits) as a JSON number, without precision loss. */
export function jsonInteger(digits: string): string {
  return BigInt(digits).toString();
}

export function jsonArray(items: readonly string[]): string {
  return `[${items.join(",")}]`;
}
