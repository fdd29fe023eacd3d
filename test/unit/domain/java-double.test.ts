/**
 * The one double format of the system, checked against what Java's Double.toString prints (the
 * JDK's documented rules and outputs): the original wrote both redis-server (Jackson) and
 * stedi-events scores that way.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { javaDouble } from "../../../src/domain/java-double.js";

test("doubles are written as Java's Double.toString: decimal in 10^-3 ≤ |x| < 10^7, scientific outside", () => {
  const cases: [number, string][] = [
    [0, "0.0"],
    [-0, "-0.0"],
    [1, "1.0"],
    [1.5, "1.5"],
    [0.001, "0.001"],
    [0.0001, "1.0E-4"],
    [9999999, "9999999.0"],
    [1e7, "1.0E7"],
    [12345678.9, "1.23456789E7"],
    [-2.5e-5, "-2.5E-5"],
    [1e300, "1.0E300"],
    [0.1 + 0.2, "0.30000000000000004"],
  ];
  for (const [value, text] of cases) assert.equal(javaDouble(value), text, String(value));
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => assert.ok(Object.is(Number(javaDouble(value)), value))));
});

test("the boundaries of Java's two notations, and what cannot be a double", () => {
  assert.equal(javaDouble(0.00099), "9.9E-4");
  assert.equal(javaDouble(-1e7), "-1.0E7");
  assert.equal(javaDouble(9999999.999), "9999999.999");
  assert.equal(javaDouble(Number.MAX_VALUE), "1.7976931348623157E308");
  assert.equal(javaDouble(Number.MIN_VALUE), "4.9E-324");
  for (const bad of [Number.NaN, Infinity, -Infinity]) assert.throws(() => javaDouble(bad), RangeError);
});
