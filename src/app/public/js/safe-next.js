// Where a page may send the browser after login: only a path on this site. The check resolves the
// (already decoded) `next` the way the browser will — `/\evil.example` and `//evil.example` are
// other hosts to a URL parser, `javascript:` has no origin — and keeps it only if the origin stays.

/** `next` as a same-origin path (with its query and hash), or `fallback`. */
export function sameOriginPath(next, origin, fallback = "/find.html") {
  if (typeof next !== "string" || !next.startsWith("/")) return fallback;
  let target;
  try {
    target = new URL(next, origin);
  } catch {
    return fallback;
  }
  return target.origin === origin ? `${target.pathname}${target.search}${target.hash}` : fallback;
}
