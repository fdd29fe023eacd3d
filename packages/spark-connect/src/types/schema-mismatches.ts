/**
 * `schemaMismatches`: why the rows of a result schema would not be the rows `RowOf` gives for an
 * expected schema — what `DataFrame.typed(schema)` checks against the server's schema.
 */
import { ArrayType, DayTimeIntervalType, DecimalType, MapType, StructType, YearMonthIntervalType, type DataType } from "./data-types.js";

/** Whether values of `actual` decode to the same JavaScript type as values of `expected` (nullability aside). */
function sameKind(expected: DataType, actual: DataType): boolean {
  // Precision and interval fields do not change the decoded type (a string, an int64).
  for (const kind of [DecimalType, DayTimeIntervalType, YearMonthIntervalType]) {
    if (expected instanceof kind || actual instanceof kind) return expected instanceof kind && actual instanceof kind;
  }
  return expected.typeName() === actual.typeName();
}

function typeMismatches(expected: DataType, actual: DataType, path: string): string[] {
  if (expected instanceof StructType && actual instanceof StructType) return schemaMismatches(expected, actual, `${path}.`);
  if (expected instanceof ArrayType && actual instanceof ArrayType) {
    const nulls = !expected.containsNull && actual.containsNull ? [`${path}: elements may be null`] : [];
    return [...nulls, ...typeMismatches(expected.elementType, actual.elementType, `${path}[]`)];
  }
  if (expected instanceof MapType && actual instanceof MapType) {
    const nulls = !expected.valueContainsNull && actual.valueContainsNull ? [`${path}: values may be null`] : [];
    return [...nulls, ...typeMismatches(expected.keyType, actual.keyType, `${path} key`), ...typeMismatches(expected.valueType, actual.valueType, `${path} value`)];
  }
  return sameKind(expected, actual) ? [] : [`${path}: expected ${expected.simpleString()}, found ${actual.simpleString()}`];
}

/**
 * The differences that make rows of `actual` not match `expected`, one line each (empty when they
 * match): a missing field, a different type, or null possible where `expected` says not null.
 * Fields `actual` has beyond `expected` are allowed (rows carry them, the row type omits them).
 */
export function schemaMismatches(expected: StructType, actual: StructType, prefix = ""): string[] {
  return expected.fields.flatMap((field) => {
    const path = `${prefix}${field.name}`;
    const found = actual.field(field.name);
    if (found === undefined) return [`${path}: missing (found ${actual.fieldNames().join(", ") || "no fields"})`];
    const nulls = !field.nullable && found.nullable ? [`${path}: may be null`] : [];
    return [...nulls, ...typeMismatches(field.dataType, found.dataType, path)];
  });
}
