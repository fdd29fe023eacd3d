/**
 * A finite double written as Java's `Double.toString` writes it — the one number format of the
 * original system's JSON (its Kafka Connect source's Jackson and its app's risk scores alike):
 * `0.0`, `7.0`, `28.25`, `9999999.0`, then "computerized scientific notation" outside
 * 10^-3 ≤ |x| < 10^7: `1.0E7`, `1.23456789E7`, `1.0E-4`. Digits are the shortest that round-trip,
 * as Java (JDK ≥ 19) and JavaScript both choose them; where one digit would do, Java writes two and
 * takes the two-digit decimal closest to the exact value (`4.9E-324`, not `5.0E-324`), which is
 * what `toExponential(1)` computes. Pure: no I/O.
 */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite double`);
  if (Object.is(value, -0)) return "-0.0";
  const magnitude = Math.abs(value);
  if (value === 0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  const shortest = value.toExponential();
  const [mantissa = "", exponent = ""] = (shortest.includes(".") ? shortest : value.toExponential(1)).split("e");
  return `${mantissa}E${exponent.replace(/^\+/, "")}`;
}
