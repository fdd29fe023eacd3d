/**
 * An error and its causes in one line. Kafka's client nests the broker's errors several levels
 * deep (AggregateError of AggregateErrors): logged as objects they fill a screen per retry.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const nested = (error as Error & { errors?: unknown[] }).errors ?? (error.cause ? [error.cause] : []);
  return nested.length > 0 ? `${error.message} (${[...new Set(nested.map(describeError))].join("; ")})` : error.message;
}
