/**
 * JavaScript values → `Expression.Literal`. Numbers become INT when they are 32-bit integers,
 * BIGINT when larger integers, DOUBLE otherwise (as PySpark infers); bigint → BIGINT (DECIMAL
 * beyond its range);
 * Date → TIMESTAMP; Uint8Array → BINARY; arrays → ARRAY of the first element's type.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Expression_LiteralSchema, type Expression_Literal } from "../gen/spark/connect/expressions_pb.js";
import { DataTypeSchema, type DataType as ProtoDataType } from "../gen/spark/connect/types_pb.js";

export type LiteralValue = null | undefined | boolean | number | bigint | string | Date | Uint8Array | readonly LiteralValue[];

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function literalOf(literalType: MessageInitShape<typeof Expression_LiteralSchema>["literalType"]): Expression_Literal {
  return create(Expression_LiteralSchema, { literalType });
}

/** The protocol data type a literal carries, for typing array elements and nulls. */
function typeOfLiteral(literal: Expression_Literal): ProtoDataType {
  const kind = ((): MessageInitShape<typeof DataTypeSchema>["kind"] => {
    const type = literal.literalType;
    switch (type.case) {
      case "boolean":
        return { case: "boolean", value: {} };
      case "integer":
        return { case: "integer", value: {} };
      case "long":
        return { case: "long", value: {} };
      case "double":
        return { case: "double", value: {} };
      case "string":
        return { case: "string", value: {} };
      case "binary":
        return { case: "binary", value: {} };
      case "timestamp":
        return { case: "timestamp", value: {} };
      case "date":
        return { case: "date", value: {} };
      case "array":
        return { case: "array", value: { elementType: type.value.elementType, containsNull: true } };
      default:
        return { case: "null", value: {} };
    }
  })();
  return create(DataTypeSchema, { kind });
}

export function toLiteral(value: LiteralValue): Expression_Literal {
  if (value === null || value === undefined) return literalOf({ case: "null", value: create(DataTypeSchema, { kind: { case: "null", value: {} } }) });
  if (typeof value === "boolean") return literalOf({ case: "boolean", value });
  if (typeof value === "bigint") {
    if (value >= INT64_MIN && value <= INT64_MAX) return literalOf({ case: "long", value });
    // Beyond BIGINT: an exact DECIMAL(p, 0), as Spark types such integer literals.
    const digits = (value < 0n ? -value : value).toString().length;
    if (digits > 38) throw new RangeError(`lit() cannot take ${value}: more than 38 digits do not fit any Spark number type`);
    return literalOf({ case: "decimal", value: { value: value.toString(), precision: digits, scale: 0 } });
  }
  if (typeof value === "string") return literalOf({ case: "string", value });
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX) return literalOf({ case: "integer", value });
    if (Number.isSafeInteger(value)) return literalOf({ case: "long", value: BigInt(value) });
    return literalOf({ case: "double", value });
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("lit() cannot take an invalid Date");
    return literalOf({ case: "timestamp", value: BigInt(value.getTime()) * 1000n });
  }
  if (value instanceof Uint8Array) return literalOf({ case: "binary", value });
  if (Array.isArray(value)) {
    const elements = (value as readonly LiteralValue[]).map(toLiteral);
    const typed = elements.find((element) => element.literalType.case !== "null");
    const elementType = typed ? typeOfLiteral(typed) : create(DataTypeSchema, { kind: { case: "null", value: {} } });
    return literalOf({ case: "array", value: { elementType, elements } });
  }
  throw new TypeError(`lit() cannot take a ${typeof value}: ${String(value)}`);
}
