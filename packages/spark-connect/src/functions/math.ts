/** Math functions. */
import type { Column, ColumnOrName } from "../column.js";
import { invoke, litColumn } from "./invoke.js";

export function abs(c: ColumnOrName): Column {
  return invoke("abs", c);
}
/** HALF_UP rounding to `scale` decimal places. */
export function round(c: ColumnOrName, scale = 0): Column {
  return invoke("round", c, litColumn(scale));
}
export function floor(c: ColumnOrName): Column {
  return invoke("floor", c);
}
export function ceil(c: ColumnOrName): Column {
  return invoke("ceil", c);
}
export function sqrt(c: ColumnOrName): Column {
  return invoke("sqrt", c);
}
