/** What every parser in `domain/` returns: bad input is data (with the reason), not an exception. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/**
 * The preamble of every domain parser: `json` decoded, and a JSON object (not an array, not null).
 * `what` names the input in the reasons ("customer-risk value is not JSON").
 */
export function parseJsonObject(json: string, what: string): Parsed<Record<string, unknown>> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(json);
  } catch {
    return { ok: false, reason: `${what} is not JSON` };
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) return { ok: false, reason: `${what} must be a JSON object` };
  return { ok: true, value: decoded as Record<string, unknown> };
}
