/**
 * Reads Spark's text forms of a schema: DDL column lists (`a INT, b ARRAY<STRING> NOT NULL`),
 * single type strings (`map<string,int>`, `decimal(10,2)`) and the JSON form. Keywords are
 * case-insensitive and the aliases Spark accepts are understood (BIGINT/LONG, INTEGER/INT …).
 */
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
} from "./data-types.js";

/** A DDL or JSON schema that cannot be parsed; the message says where and why. */
export class SchemaParseError extends Error {
  override readonly name = "SchemaParseError";
}

const SIMPLE: Readonly<Record<string, () => DataType>> = {
  string: () => new StringType(),
  binary: () => new BinaryType(),
  boolean: () => new BooleanType(),
  bool: () => new BooleanType(),
  tinyint: () => new ByteType(),
  byte: () => new ByteType(),
  smallint: () => new ShortType(),
  short: () => new ShortType(),
  int: () => new IntegerType(),
  integer: () => new IntegerType(),
  bigint: () => new LongType(),
  long: () => new LongType(),
  float: () => new FloatType(),
  real: () => new FloatType(),
  double: () => new DoubleType(),
  date: () => new DateType(),
  timestamp: () => new TimestampType(),
  timestamp_ltz: () => new TimestampType(),
  timestamp_ntz: () => new TimestampNTZType(),
  void: () => new NullType(),
  null: () => new NullType(),
  interval: () => new CalendarIntervalType(),
  variant: () => new VariantType(),
};

type Token = { kind: "word" | "quoted" | "number" | "string" | "symbol"; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) i += 1;
    else if (ch === "`") {
      let name = "";
      i += 1;
      for (;;) {
        if (i >= text.length) throw new SchemaParseError(`unterminated \` in "${text}"`);
        if (text[i] === "`" && text[i + 1] === "`") {
          name += "`";
          i += 2;
        } else if (text[i] === "`") break;
        else {
          name += text[i];
          i += 1;
        }
      }
      i += 1;
      tokens.push({ kind: "quoted", text: name });
    } else if (ch === "'" || ch === '"') {
      let value = "";
      i += 1;
      while (i < text.length && text[i] !== ch) {
        if (text[i] === "\\" && i + 1 < text.length) i += 1;
        value += text[i];
        i += 1;
      }
      if (i >= text.length) throw new SchemaParseError(`unterminated string in "${text}"`);
      i += 1;
      tokens.push({ kind: "string", text: value });
    } else if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "number", text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "word", text: match[0] });
      i += match[0].length;
    } else if ("<>(),:".includes(ch)) {
      tokens.push({ kind: "symbol", text: ch });
      i += 1;
    } else throw new SchemaParseError(`unexpected "${ch}" at position ${i} in "${text}"`);
  }
  return tokens;
}

class Parser {
  #pos = 0;
  constructor(
    readonly tokens: Token[],
    readonly source: string,
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.#pos + offset];
  }
  done(): boolean {
    return this.#pos >= this.tokens.length;
  }
  next(): Token {
    const token = this.tokens[this.#pos];
    if (!token) throw new SchemaParseError(`unexpected end of "${this.source}"`);
    this.#pos += 1;
    return token;
  }
  isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === "word" && token.text.toLowerCase() === word;
  }
  isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token?.kind === "symbol" && token.text === symbol;
  }
  expectSymbol(symbol: string): void {
    const token = this.next();
    if (token.kind !== "symbol" || token.text !== symbol) throw new SchemaParseError(`expected "${symbol}" but found "${token.text}" in "${this.source}"`);
  }
  number(): number {
    const token = this.next();
    if (token.kind !== "number") throw new SchemaParseError(`expected a number but found "${token.text}" in "${this.source}"`);
    return Number(token.text);
  }
  name(): string {
    const token = this.next();
    if (token.kind !== "word" && token.kind !== "quoted") throw new SchemaParseError(`expected a field name but found "${token.text}" in "${this.source}"`);
    return token.text;
  }

  dataType(): DataType {
    const token = this.next();
    if (token.kind !== "word") throw new SchemaParseError(`expected a type but found "${token.text}" in "${this.source}"`);
    const word = token.text.toLowerCase();
    if (word === "array") {
      this.expectSymbol("<");
      const element = this.dataType();
      this.expectSymbol(">");
      return new ArrayType(element);
    }
    if (word === "map") {
      this.expectSymbol("<");
      const key = this.dataType();
      this.expectSymbol(",");
      const value = this.dataType();
      this.expectSymbol(">");
      return new MapType(key, value);
    }
    if (word === "struct") {
      this.expectSymbol("<");
      const fields: StructField[] = [];
      while (!this.isSymbol(">")) {
        if (fields.length > 0) this.expectSymbol(",");
        fields.push(this.field(true));
      }
      this.expectSymbol(">");
      return new StructType(fields);
    }
    if (word === "decimal" || word === "dec" || word === "numeric") {
      if (!this.isSymbol("(")) return new DecimalType(10, 0);
      this.expectSymbol("(");
      const precision = this.number();
      let scale = 0;
      if (this.isSymbol(",")) {
        this.expectSymbol(",");
        scale = this.number();
      }
      this.expectSymbol(")");
      return new DecimalType(precision, scale);
    }
    if (word === "char" || word === "varchar" || word === "character") {
      // Spark treats CHAR(n)/VARCHAR(n) as STRING outside of table schemas.
      this.expectSymbol("(");
      this.number();
      this.expectSymbol(")");
      return new StringType();
    }
    if (word === "interval" && this.peek()?.kind === "word") return this.interval();
    const simple = SIMPLE[word];
    if (!simple) throw new SchemaParseError(`unknown data type "${token.text}" in "${this.source}"`);
    return simple();
  }

  interval(): DataType {
    const unit = (): string => this.next().text.toLowerCase();
    const start = unit();
    const end = this.isWord("to") ? (this.next(), unit()) : start;
    const dayTime = DayTimeIntervalType.FIELDS as readonly string[];
    const yearMonth = YearMonthIntervalType.FIELDS as readonly string[];
    if (dayTime.includes(start)) return new DayTimeIntervalType(dayTime.indexOf(start), dayTime.indexOf(end));
    if (yearMonth.includes(start)) return new YearMonthIntervalType(yearMonth.indexOf(start), yearMonth.indexOf(end));
    throw new SchemaParseError(`unknown interval unit "${start}" in "${this.source}"`);
  }

  /** `name[:] TYPE [NOT NULL] [COMMENT 'text']` */
  field(insideStruct: boolean): StructField {
    const name = this.name();
    if (this.isSymbol(":")) this.expectSymbol(":");
    const type = this.dataType();
    let nullable = true;
    const metadata: Record<string, JsonValue> = {};
    for (;;) {
      if (this.isWord("not") && this.isWord("null", 1)) {
        this.next();
        this.next();
        nullable = false;
      } else if (this.isWord("comment")) {
        this.next();
        const comment = this.next();
        if (comment.kind !== "string") throw new SchemaParseError(`COMMENT needs a quoted string in "${this.source}"`);
        metadata.comment = comment.text;
      } else break;
    }
    if (!insideStruct && !this.done() && !this.isSymbol(",")) throw new SchemaParseError(`unexpected "${this.peek()?.text}" in "${this.source}"`);
    return new StructField(name, type, nullable, metadata);
  }
}

/** Parses a DDL column list, `a INT, b STRING NOT NULL`, or a `struct<…>` type string. */
export function parseDDLSchema(ddl: string): StructType {
  const parser = new Parser(tokenize(ddl), ddl);
  if (parser.isWord("struct") && parser.peek(1)?.text === "<") {
    const type = parser.dataType();
    if (!parser.done()) throw new SchemaParseError(`unexpected "${parser.peek()?.text}" after the struct in "${ddl}"`);
    return type as StructType;
  }
  const fields: StructField[] = [];
  while (!parser.done()) {
    if (fields.length > 0) parser.expectSymbol(",");
    fields.push(parser.field(false));
  }
  return new StructType(fields);
}

/** Parses a single type string such as `int`, `array<string>` or `decimal(10,2)`. */
export function parseDataType(text: string): DataType {
  const parser = new Parser(tokenize(text), text);
  const type = parser.dataType();
  if (!parser.done()) throw new SchemaParseError(`unexpected "${parser.peek()?.text}" in "${text}"`);
  return type;
}

/** Parses Spark's JSON schema form (what `DataType.json()` writes). */
export function parseJsonDataType(json: string | JsonValue): DataType {
  const value: JsonValue = typeof json === "string" && /^\s*[{"]/.test(json) ? (JSON.parse(json) as JsonValue) : json;
  if (typeof value === "string") {
    const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(value);
    if (decimal) return new DecimalType(Number(decimal[1]), Number(decimal[2]));
    if (value === "decimal") return new DecimalType(10, 0);
    if (value.startsWith("interval ")) return parseDataType(value);
    const simple = SIMPLE[value];
    if (!simple) throw new SchemaParseError(`unknown JSON data type "${value}"`);
    return simple();
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new SchemaParseError(`not a JSON data type: ${JSON.stringify(value)}`);
  switch (value.type) {
    case "array":
      return new ArrayType(parseJsonDataType(value.elementType ?? null), value.containsNull !== false);
    case "map":
      return new MapType(parseJsonDataType(value.keyType ?? null), parseJsonDataType(value.valueType ?? null), value.valueContainsNull !== false);
    case "struct": {
      const fields = Array.isArray(value.fields) ? value.fields : [];
      return new StructType(
        fields.map((field) => {
          if (field === null || typeof field !== "object" || Array.isArray(field)) throw new SchemaParseError(`not a JSON struct field: ${JSON.stringify(field)}`);
          const metadata = field.metadata !== null && typeof field.metadata === "object" && !Array.isArray(field.metadata) ? field.metadata : {};
          return new StructField(String(field.name), parseJsonDataType(field.type ?? null), field.nullable !== false, metadata);
        }),
      );
    }
    default:
      throw new SchemaParseError(`unknown JSON data type ${JSON.stringify(value)}`);
  }
}
