/** Date and time functions. */
import type { Column, ColumnOrName } from "../column.js";
import { invoke, litColumn } from "./invoke.js";

export function current_timestamp(): Column {
  return invoke("current_timestamp");
}
export function current_date(): Column {
  return invoke("current_date");
}
/**
 * Tumbling (`window("ts", "10 minutes")`) or sliding (with `slideDuration`) event-time windows;
 * the result is a struct column `window` with `start` and `end`.
 */
export function window(timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string, startTime?: string): Column {
  const args = [litColumn(windowDuration)];
  if (slideDuration !== undefined || startTime !== undefined) args.push(litColumn(slideDuration ?? windowDuration));
  if (startTime !== undefined) args.push(litColumn(startTime));
  return invoke("window", timeColumn, ...args);
}
export function to_timestamp(c: ColumnOrName, format?: string): Column {
  return format === undefined ? invoke("to_timestamp", c) : invoke("to_timestamp", c, litColumn(format));
}
export function to_date(c: ColumnOrName, format?: string): Column {
  return format === undefined ? invoke("to_date", c) : invoke("to_date", c, litColumn(format));
}
export function date_format(c: ColumnOrName, format: string): Column {
  return invoke("date_format", c, litColumn(format));
}
export function unix_timestamp(c?: ColumnOrName, format = "yyyy-MM-dd HH:mm:ss"): Column {
  return c === undefined ? invoke("unix_timestamp") : invoke("unix_timestamp", c, litColumn(format));
}
export function from_unixtime(c: ColumnOrName, format = "yyyy-MM-dd HH:mm:ss"): Column {
  return invoke("from_unixtime", c, litColumn(format));
}
export function year(c: ColumnOrName): Column {
  return invoke("year", c);
}
export function month(c: ColumnOrName): Column {
  return invoke("month", c);
}
export function dayofmonth(c: ColumnOrName): Column {
  return invoke("dayofmonth", c);
}
export function hour(c: ColumnOrName): Column {
  return invoke("hour", c);
}
