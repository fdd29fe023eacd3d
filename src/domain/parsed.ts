/** What every parser in `domain/` returns: bad input is data (with the reason), not an exception. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
