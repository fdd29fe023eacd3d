/**
 * `schemaToTypeScript`: a schema printed as a TypeScript interface, the same row type `RowOf`
 * gives for a StructType literal — for schemas only the server knows (tables, queries).
 */
import { DEFAULT_RESULT_OPTIONS } from "../result-options.js";
import { ArrayType, DayTimeIntervalType, DecimalType, MapType, StructType, type DataType } from "./data-types.js";
import type { Decoding } from "./row-of.js";

/** A property name as written in an interface: bare when it is an identifier, quoted otherwise. */
function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** `type | null` for a nullable value, except where null is already in it (`null`, `unknown`). */
function orNull(type: string, nullable: boolean): string {
  return nullable && type !== "null" && type !== "unknown" ? `${type} | null` : type;
}

/** Whether `type` is a union at its top level (`a | b`, not `Map<a, b | c>`), so `[]` needs parentheses. */
function isUnion(type: string): boolean {
  let depth = 0;
  for (let i = 0; i < type.length; i += 1) {
    const char = type[i];
    if (char === "{" || char === "<" || char === "(") depth += 1;
    else if (char === "}" || char === ">" || char === ")") depth -= 1;
    else if (depth === 0 && type.startsWith(" | ", i)) return true;
  }
  return false;
}

function int64Value(decoding: Decoding): string {
  return decoding.int64 === "exact" ? "number | bigint" : decoding.int64;
}

/** The value type of atomic types by `typeName()`, as in `RowOf`'s table. */
function atomicValue(typeName: string, decoding: Decoding): string {
  const timestamp = decoding.timestamp === "micros" ? "bigint" : "Date";
  switch (typeName) {
    case "void":
      return "null";
    case "string":
      return "string";
    case "binary":
      return "Uint8Array";
    case "boolean":
      return "boolean";
    case "byte":
    case "short":
    case "integer":
    case "float":
    case "double":
      return "number";
    case "long":
      return int64Value(decoding);
    case "date":
      return "Date";
    case "timestamp":
    case "timestamp_ntz":
      return timestamp;
    default:
      return "unknown";
  }
}

function valueType(type: DataType, decoding: Decoding, indent: string): string {
  if (type instanceof StructType) {
    const inner = `${indent}  `;
    const lines = type.fields.map((field) => `${inner}${propertyName(field.name)}: ${orNull(valueType(field.dataType, decoding, inner), field.nullable)};`);
    return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${indent}}`;
  }
  if (type instanceof ArrayType) {
    const element = orNull(valueType(type.elementType, decoding, indent), type.containsNull);
    return isUnion(element) ? `(${element})[]` : `${element}[]`;
  }
  if (type instanceof MapType) {
    return `Map<${valueType(type.keyType, decoding, indent)}, ${orNull(valueType(type.valueType, decoding, indent), type.valueContainsNull)}>`;
  }
  if (type instanceof DecimalType) return "string";
  if (type instanceof DayTimeIntervalType) return int64Value(decoding);
  return atomicValue(type.typeName(), decoding);
}

/**
 * The rows of `schema` as an exported TypeScript interface named `name`, under the given result
 * options (the session default when omitted). Nullable fields are `| null`; structs are nested
 * object types, arrays `T[]`, maps `Map<K, V>`; types the decoder leaves to Arrow are `unknown`.
 *
 * @example
 * ```ts
 * schemaToTypeScript(await spark.table("people").schema(), "Person");
 * // export interface Person {
 * //   id: number | bigint;
 * //   name: string | null;
 * // }
 * ```
 */
export function schemaToTypeScript(schema: StructType, name: string, decoding: Partial<Decoding> = {}): string {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) throw new TypeError(`schemaToTypeScript: ${JSON.stringify(name)} is not a TypeScript identifier`);
  const options: Decoding = { int64: decoding.int64 ?? DEFAULT_RESULT_OPTIONS.int64, timestamp: decoding.timestamp ?? DEFAULT_RESULT_OPTIONS.timestamp };
  return `export interface ${name} ${valueType(schema, options, "")}\n`;
}
