/** Event-time windows (their optional arguments depend on each other, as in PySpark). */
import type { Column, ColumnOrName } from "../column.js";
import { invoke, litColumn } from "./invoke.js";

/**
 * Tumbling (`window("ts", "10 minutes")`) or sliding (with `slideDuration`) event-time windows;
 * the result is a struct column `window` with `start` and `end`.
 *
 * @example
 * ```ts
 * events.withWatermark("ts", "10 minutes").groupBy(F.window("ts", "5 minutes"), "customer").count();
 * ```
 */
export function window(timeColumn: ColumnOrName, windowDuration: string, slideDuration?: string, startTime?: string): Column {
  const args = [litColumn(windowDuration)];
  if (slideDuration !== undefined || startTime !== undefined) args.push(litColumn(slideDuration ?? windowDuration));
  if (startTime !== undefined) args.push(litColumn(startTime));
  return invoke("window", timeColumn, ...args);
}

/**
 * Session windows closed after `gapDuration` (a duration string or a Column of them) without events.
 *
 * @example
 * ```ts
 * clicks.groupBy(F.session_window("ts", "30 minutes"), "user").count();
 * ```
 */
export function session_window(timeColumn: ColumnOrName, gapDuration: string | Column): Column {
  return invoke("session_window", timeColumn, typeof gapDuration === "string" ? litColumn(gapDuration) : gapDuration);
}

/** The event time of a window column: its end minus one microsecond. */
export function window_time(windowColumn: ColumnOrName): Column {
  return invoke("window_time", windowColumn);
}
