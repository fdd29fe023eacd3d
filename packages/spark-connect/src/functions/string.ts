/** String and binary functions. */
import type { Column, ColumnOrName } from "../column.js";
import { invoke, litColumn } from "./invoke.js";

export function base64(c: ColumnOrName): Column {
  return invoke("base64", c);
}
/** Decodes base64 to binary; cast the result to string for text. */
export function unbase64(c: ColumnOrName): Column {
  return invoke("unbase64", c);
}
/**
 * `to_binary` that gives NULL instead of an error when `col` does not convert: `format` is a
 * column, as in PySpark (`try_to_binary(col("b64"), lit("base64"))`); Spark's default is hex.
 */
export function try_to_binary(c: ColumnOrName, format?: ColumnOrName): Column {
  return format === undefined ? invoke("try_to_binary", c) : invoke("try_to_binary", c, format);
}
/** Splits around matches of the regex `pattern`; `limit` > 0 caps the array length. */
export function split(str: ColumnOrName, pattern: string, limit = -1): Column {
  return invoke("split", str, litColumn(pattern), litColumn(limit));
}
export function regexp_extract(str: ColumnOrName, pattern: string, idx: number): Column {
  return invoke("regexp_extract", str, litColumn(pattern), litColumn(idx));
}
export function regexp_replace(str: ColumnOrName, pattern: string, replacement: string): Column {
  return invoke("regexp_replace", str, litColumn(pattern), litColumn(replacement));
}
export function concat(...cols: ColumnOrName[]): Column {
  return invoke("concat", ...cols);
}
export function concat_ws(sep: string, ...cols: ColumnOrName[]): Column {
  return invoke("concat_ws", litColumn(sep), ...cols);
}
export function upper(c: ColumnOrName): Column {
  return invoke("upper", c);
}
export function lower(c: ColumnOrName): Column {
  return invoke("lower", c);
}
export function trim(c: ColumnOrName): Column {
  return invoke("trim", c);
}
export function length(c: ColumnOrName): Column {
  return invoke("length", c);
}
/** 1-based `pos`, `len` characters. */
export function substring(str: ColumnOrName, pos: number, len: number): Column {
  return invoke("substring", str, litColumn(pos), litColumn(len));
}
export function format_string(format: string, ...cols: ColumnOrName[]): Column {
  return invoke("format_string", litColumn(format), ...cols);
}
export function decode(c: ColumnOrName, charset: string): Column {
  return invoke("decode", c, litColumn(charset));
}
export function encode(c: ColumnOrName, charset: string): Column {
  return invoke("encode", c, litColumn(charset));
}
