/** Plan shapes of the functions: generated wrappers' argument conventions, lambdas, windows, typed literals. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { functions as F, Window, type Column } from "spark-connect-ts";
import { exprOf } from "../../../packages/spark-connect/src/internal.js";
import { GENERATED_DIR, renderGenerated } from "../../../packages/spark-connect/scripts/gen-functions.js";
import { FUNCTION_TABLE } from "../../../packages/spark-connect/scripts/function-table.js";
import { parseParams } from "../../../packages/spark-connect/scripts/function-signature.js";
import { offlineSession } from "./offline-session.js";
import { assertRelationGolden } from "./golden.js";

/** The argument cases of a function call: which arguments are column references, which literals. */
function argumentKinds(c: Column): string[] {
  const node = exprOf(c).exprType;
  assert.equal(node.case, "unresolvedFunction");
  return node.case === "unresolvedFunction" ? node.value.arguments.map((a) => (a.exprType.case === "literal" ? `lit:${a.exprType.value.literalType.case}` : (a.exprType.case ?? "?"))) : [];
}

test("the committed generated wrappers are what the signature table renders", () => {
  for (const [file, text] of renderGenerated()) {
    assert.equal(readFileSync(join(GENERATED_DIR, file), "utf8"), text, `${file} is stale: run npx tsx packages/spark-connect/scripts/gen-functions.ts`);
  }
});

test("every table row is exported, documented and named once", () => {
  const names = Object.values(FUNCTION_TABLE).flat().map((spec) => spec.name);
  assert.equal(new Set(names).size, names.length, "a function is in the table twice");
  for (const spec of Object.values(FUNCTION_TABLE).flat()) {
    assert.equal(typeof (F as unknown as Record<string, unknown>)[spec.name], "function", spec.name);
    assert.match(spec.doc, /\S.*\.$/, `${spec.name} needs a one-line doc ending with a period`);
  }
});

test("PySpark's argument conventions: names are columns, literal parameters are literals, omitted optionals are left off", () => {
  assert.deepEqual(argumentKinds(F.split("s", ",")), ["unresolvedAttribute", "lit:string", "lit:integer"]);
  assert.deepEqual(argumentKinds(F.date_add("d", 3)), ["unresolvedAttribute", "lit:integer"]);
  assert.deepEqual(argumentKinds(F.date_add("d", "n")), ["unresolvedAttribute", "unresolvedAttribute"]);
  assert.deepEqual(argumentKinds(F.round("x")), ["unresolvedAttribute"]);
  assert.deepEqual(argumentKinds(F.round("x", 2)), ["unresolvedAttribute", "lit:integer"]);
  assert.deepEqual(argumentKinds(F.locate("a", "s")), ["lit:string", "unresolvedAttribute", "lit:integer"]);
  assert.deepEqual(argumentKinds(F.lpad("s", 5, "*")), ["unresolvedAttribute", "lit:integer", "lit:string"]);
  assert.deepEqual(argumentKinds(F.approx_count_distinct("s", 0)), ["unresolvedAttribute", "lit:double"], "a relative error is a DOUBLE even when integral");
  assert.deepEqual(argumentKinds(F.from_csv("c", "a INT", { sep: ";" })), ["unresolvedAttribute", "lit:string", "unresolvedFunction"]);
  assert.deepEqual(argumentKinds(F.rlike("s", "pattern_column")), ["unresolvedAttribute", "unresolvedAttribute"], "PySpark's rlike takes a column name");
  assert.deepEqual(argumentKinds(F.raise_error("boom")), ["lit:string"], "PySpark's raise_error takes a message");
  assert.deepEqual(argumentKinds(F.concat_ws("-", "a", "b")), ["lit:string", "unresolvedAttribute", "unresolvedAttribute"]);
  assert.throws(() => parseParams("a?, b"), /an optional parameter cannot precede a required one/);
});

test("lambdas become LambdaFunction nodes with unique variables", () => {
  const spark = offlineSession();
  const df = spark.table("t").select(
    F.transform("xs", (x) => x.plus(1)).alias("plus_one"),
    F.transform("xs", (x, i) => x.multiply(i)).alias("indexed"),
    F.transform("nested", (xs) => F.transform(xs, (x) => x.plus(F.size(xs)))).alias("nested"),
    F.aggregate("xs", F.lit(0), (acc, x) => acc.plus(x), (acc) => acc.multiply(10)).alias("folded"),
    F.map_zip_with("m1", "m2", (_k, a, b) => F.coalesce(a, b)).alias("zipped"),
    F.array_sort("xs", (a, b) => b.minus(a)).alias("sorted"),
  );
  assertRelationGolden("functions-lambdas", df);
  const nested = exprOf(F.transform("xs", (xs) => F.transform(xs, (x) => x.plus(xs)))).exprType;
  assert.equal(nested.case, "unresolvedFunction");
  const outer = nested.case === "unresolvedFunction" ? nested.value.arguments[1]?.exprType : undefined;
  assert.equal(outer?.case, "lambdaFunction");
  const inner = outer?.case === "lambdaFunction" && outer.value.function?.exprType.case === "unresolvedFunction" ? outer.value.function.exprType.value.arguments[1]?.exprType : undefined;
  assert.equal(inner?.case, "lambdaFunction");
  const outerName = outer?.case === "lambdaFunction" ? outer.value.arguments[0]?.nameParts[0] : undefined;
  const innerName = inner?.case === "lambdaFunction" ? inner.value.arguments[0]?.nameParts[0] : undefined;
  assert.ok(outerName && innerName && outerName !== innerName, "nested lambdas must not share a variable name");
  assert.throws(() => F.transform("xs", () => 1 as unknown as Column), /must return a Column/);
});

test("Window specs and Column.over", () => {
  const spark = offlineSession();
  const byKey = Window.partitionBy("k").orderBy(F.col("v").desc());
  const df = spark.table("t").select(
    F.rank().over(byKey).alias("rank"),
    F.sum("v").over(byKey.rowsBetween(Window.unboundedPreceding, Window.currentRow)).alias("running"),
    F.avg("v").over(Window.orderBy("v").rangeBetween(-5, 5)).alias("nearby"),
    F.count("*").over().alias("all"),
    F.lag("v", 2, 0).over(Window.partitionBy(["k", "j"]).orderBy("v").rowsBetween(-(2 ** 63), 2 ** 63)).alias("lagged"),
  );
  assertRelationGolden("functions-window", df);
});

test("typed literals: an explicit type, arrays typed from all their elements", () => {
  const spark = offlineSession();
  const df = spark.range(1).select(
    F.lit(1, "double"),
    F.lit([1, 2.5]),
    F.lit([null, 1, 3_000_000_000]),
    F.lit([[1], [2.5]]),
    F.lit(2, "decimal(5,2)"),
    F.lit(7, "tinyint"),
    F.lit("2024-01-02", "date"),
    F.lit(null, "string"),
    F.lit([1, 2], "array<bigint>"),
    F.lit(1_700_000_000_000_000n, "timestamp"),
  );
  assertRelationGolden("functions-typed-literals", df);
  const elementType = (c: Column): string | undefined => {
    const node = exprOf(c).exprType;
    return node.case === "literal" && node.value.literalType.case === "array" ? node.value.literalType.value.elementType?.kind.case : undefined;
  };
  assert.equal(elementType(F.lit([1, 2.5])), "double");
  assert.equal(elementType(F.lit([2.5, 1])), "double", "the first element does not decide the type");
  assert.equal(elementType(F.lit([1, 2 ** 40])), "long");
  assert.throws(() => F.lit([1, "a"]), /cannot make one array of int and string elements/);
  assert.throws(() => F.lit("x", "int"), /cannot represent x as int/);
  assert.throws(() => F.lit(300, "tinyint"), /cannot represent 300 as tinyint/);
  assert.throws(() => F.lit(1.5, "int"), /cannot represent 1.5 as int/);
});
