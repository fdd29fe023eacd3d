/**
 * Which keys the CDC source publishes: include/exclude patterns in Redis' own glob syntax
 * (`*`, `?`, `[abc]`, `[^a]`, `[a-z]`, `\x`), matched byte for byte, so binary keys work too.
 * A key is published when it matches an include pattern (or there are none) and no exclude pattern.
 */

/** Redis glob → RegExp over latin1 text (one character per byte). */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*") source += "[\\s\\S]*";
    else if (char === "?") source += "[\\s\\S]";
    else if (char === "\\" && i + 1 < pattern.length) source += escape(pattern[++i]!);
    else if (char === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close === -1) {
        source += escape(char);
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith("^");
      if (negated) body = body.slice(1);
      // Keep ranges (a-z) and escape everything else inside the class.
      const members = body.replace(/\\(.)/g, "$1").replace(/[\\\]^[]/g, (c) => `\\${c}`);
      source += `[${negated ? "^" : ""}${members}]`;
      i = close;
    } else source += escape(char);
  }
  return new RegExp(`^${source}$`, "s");
}

function escape(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`);
}

export class KeyFilter {
  readonly #include: RegExp[];
  readonly #exclude: RegExp[];

  constructor(include: readonly string[] = [], exclude: readonly string[] = []) {
    // Patterns come as UTF-8 text; keys are compared as bytes, so the patterns are too.
    const compile = (pattern: string): RegExp => globToRegExp(Buffer.from(pattern, "utf8").toString("latin1"));
    this.#include = include.map(compile);
    this.#exclude = exclude.map(compile);
  }

  /** Keyless records (FLUSHALL …) always pass: they affect every key. */
  accepts(key: Buffer | null): boolean {
    if (key === null) return true;
    const text = key.toString("latin1");
    if (this.#include.length > 0 && !this.#include.some((pattern) => pattern.test(text))) return false;
    return !this.#exclude.some((pattern) => pattern.test(text));
  }
}
