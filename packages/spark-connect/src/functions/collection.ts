/** Array and map functions. */
import type { Column, ColumnOrName } from "../column.js";
import type { LiteralValue } from "../plan/literals.js";
import { invoke, litColumn } from "./invoke.js";

/** One row per element of an array (column `col`) or entry of a map (`key`, `value`). */
export function explode(c: ColumnOrName): Column {
  return invoke("explode", c);
}
export function explode_outer(c: ColumnOrName): Column {
  return invoke("explode_outer", c);
}
export function posexplode(c: ColumnOrName): Column {
  return invoke("posexplode", c);
}
export function size(c: ColumnOrName): Column {
  return invoke("size", c);
}
export function array_contains(c: ColumnOrName, value: LiteralValue): Column {
  return invoke("array_contains", c, litColumn(value));
}
/** 1-based index into an array, or a key of a map. */
export function element_at(c: ColumnOrName, extraction: LiteralValue): Column {
  return invoke("element_at", c, litColumn(extraction));
}
