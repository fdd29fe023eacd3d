/** Converts data types to and from the protocol's `spark.connect.DataType`. */
export type { ProtoDataType };
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { DataTypeSchema, type DataType as ProtoDataType } from "../gen/spark/connect/types_pb.js";
import {
  ArrayType,
  BinaryType,
  BooleanType,
  ByteType,
  CalendarIntervalType,
  DataType,
  DateType,
  DayTimeIntervalType,
  DecimalType,
  DoubleType,
  FloatType,
  IntegerType,
  LongType,
  MapType,
  NullType,
  ShortType,
  StringType,
  StructField,
  StructType,
  TimestampNTZType,
  TimestampType,
  VariantType,
  YearMonthIntervalType,
  type JsonValue,
} from "../types/data-types.js";
import { parseDataType } from "../types/ddl.js";
import { SparkConnectError } from "../errors.js";
import { PROTOCOL_VERSION } from "../gen/protocol-version.js";

export function fromProtoDataType(proto: ProtoDataType): DataType {
  const kind = proto.kind;
  switch (kind.case) {
    case "null":
      return new NullType();
    case "binary":
      return new BinaryType();
    case "boolean":
      return new BooleanType();
    case "byte":
      return new ByteType();
    case "short":
      return new ShortType();
    case "integer":
      return new IntegerType();
    case "long":
      return new LongType();
    case "float":
      return new FloatType();
    case "double":
      return new DoubleType();
    case "decimal":
      return new DecimalType(kind.value.precision ?? 10, kind.value.scale ?? 0);
    case "string":
    case "char":
    case "varChar":
      return new StringType();
    case "date":
      return new DateType();
    case "timestamp":
      return new TimestampType();
    case "timestampNtz":
      return new TimestampNTZType();
    case "calendarInterval":
      return new CalendarIntervalType();
    case "yearMonthInterval":
      return new YearMonthIntervalType(kind.value.startField ?? 0, kind.value.endField ?? 1);
    case "dayTimeInterval":
      return new DayTimeIntervalType(kind.value.startField ?? 0, kind.value.endField ?? 3);
    case "array":
      return new ArrayType(fromProtoDataType(kind.value.elementType ?? create(DataTypeSchema)), kind.value.containsNull);
    case "map":
      return new MapType(
        fromProtoDataType(kind.value.keyType ?? create(DataTypeSchema)),
        fromProtoDataType(kind.value.valueType ?? create(DataTypeSchema)),
        kind.value.valueContainsNull,
      );
    case "struct":
      return new StructType(
        kind.value.fields.map(
          (field) =>
            new StructField(
              field.name,
              fromProtoDataType(field.dataType ?? create(DataTypeSchema)),
              field.nullable,
              field.metadata ? (JSON.parse(field.metadata) as Record<string, JsonValue>) : {},
            ),
        ),
      );
    case "variant":
      return new VariantType();
    case "udt":
      return kind.value.sqlType ? fromProtoDataType(kind.value.sqlType) : new BinaryType();
    case "unparsed":
      return parseDataType(kind.value.dataTypeString);
    case "time":
    case "geometry":
    case "geography":
      throw unsupportedType(kind.case);
    case undefined:
      // A kind newer than the protocol this client was generated from: protobuf keeps it as unknown fields.
      throw unsupportedType(undefined);
  }
}

function unsupportedType(kind: string | undefined): SparkConnectError {
  const what = kind
    ? `a column of type ${kind}, which this client cannot decode yet`
    : `a data type that Spark ${PROTOCOL_VERSION}'s protocol, which this client was built from, does not define (the server is newer)`;
  return new SparkConnectError(`The server returned ${what}. Cast the column in the query, e.g. to string.`, {
    errorClass: "UNSUPPORTED_DATA_TYPE",
    messageParameters: { type: kind ?? "unknown" },
  });
}

export function toProtoDataType(type: DataType): ProtoDataType {
  const make = (kind: MessageInitShape<typeof DataTypeSchema>["kind"]): ProtoDataType => create(DataTypeSchema, { kind });
  if (type instanceof NullType) return make({ case: "null", value: {} });
  if (type instanceof BinaryType) return make({ case: "binary", value: {} });
  if (type instanceof BooleanType) return make({ case: "boolean", value: {} });
  if (type instanceof ByteType) return make({ case: "byte", value: {} });
  if (type instanceof ShortType) return make({ case: "short", value: {} });
  if (type instanceof IntegerType) return make({ case: "integer", value: {} });
  if (type instanceof LongType) return make({ case: "long", value: {} });
  if (type instanceof FloatType) return make({ case: "float", value: {} });
  if (type instanceof DoubleType) return make({ case: "double", value: {} });
  if (type instanceof DecimalType) return make({ case: "decimal", value: { precision: type.precision, scale: type.scale } });
  if (type instanceof StringType) return make({ case: "string", value: {} });
  if (type instanceof DateType) return make({ case: "date", value: {} });
  if (type instanceof TimestampType) return make({ case: "timestamp", value: {} });
  if (type instanceof TimestampNTZType) return make({ case: "timestampNtz", value: {} });
  if (type instanceof CalendarIntervalType) return make({ case: "calendarInterval", value: {} });
  if (type instanceof VariantType) return make({ case: "variant", value: {} });
  if (type instanceof DayTimeIntervalType) return make({ case: "dayTimeInterval", value: { startField: type.startField, endField: type.endField } });
  if (type instanceof YearMonthIntervalType) return make({ case: "yearMonthInterval", value: { startField: type.startField, endField: type.endField } });
  if (type instanceof ArrayType) return make({ case: "array", value: { elementType: toProtoDataType(type.elementType), containsNull: type.containsNull } });
  if (type instanceof MapType) {
    return make({
      case: "map",
      value: { keyType: toProtoDataType(type.keyType), valueType: toProtoDataType(type.valueType), valueContainsNull: type.valueContainsNull },
    });
  }
  if (type instanceof StructType) {
    return make({
      case: "struct",
      value: {
        fields: type.fields.map((field) => ({
          name: field.name,
          dataType: toProtoDataType(field.dataType),
          nullable: field.nullable,
          ...(Object.keys(field.metadata).length > 0 ? { metadata: JSON.stringify(field.metadata) } : {}),
        })),
      },
    });
  }
  return make({ case: "unparsed", value: { dataTypeString: type.simpleString() } });
}
