/**
 * JSON pieces written exactly as the original Java connector (Jackson) wrote them. Values are built
 * by hand rather than with JSON.stringify because the format is byte-exact: doubles keep their `.0`,
 * field order is fixed.
 */

/**
 * A double as Java's `Double.toString` (what Jackson writes): `0.0`, `1.5`, `1.0E7`, `1.0E-4`;
 * non-finite values quoted, as Jackson's default QUOTE_NON_NUMERIC_NUMBERS does.
 */
export function javaDouble(value: number): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  if (Object.is(value, -0)) return "-0.0";
  const magnitude = Math.abs(value);
  if (value === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  // Shortest round-trip digits, as Java (JDK ≥ 19) prints them, in "computerized scientific notation".
  const [mantissa = "", exponent = ""] = value.toExponential().split("e");
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${exponent.replace(/^\+/, "")}`;
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
