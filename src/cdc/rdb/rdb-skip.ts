/**
 * Values the snapshot does not publish (streams, module values) still have to be read past to
 * reach the next key; these walk their encodings without decoding them.
 */
import type { RdbCursor } from "./rdb-cursor.js";
import { RdbFormatError } from "./rdb-cursor.js";

/**
 * Stream (type 15 = v1, 19 = v2 since 7.0, 21 = v3 since 7.2):
 *   <n> × (<master id: string> <listpack: string>) <length> <last-id ms> <last-id seq>
 *   v2+: <first-id ms> <seq> <max-deleted-id ms> <seq> <entries-added>
 *   <groups> × (<name> <last-id ms> <seq> [v2+: <entries-read>]
 *                <pel size> × (<16-byte id> <8-byte delivery time> <delivery count>)
 *                <consumers> × (<name> <8-byte seen time> [v3: <8-byte active time>] <pel size> × <16-byte id>))
 */
export function skipStream(cursor: RdbCursor, version: 1 | 2 | 3): void {
  const listpacks = cursor.length();
  for (let i = 0; i < listpacks; i++) {
    cursor.string();
    cursor.string();
  }
  cursor.length();
  cursor.length();
  cursor.length();
  if (version >= 2) for (let i = 0; i < 5; i++) cursor.length();
  const groups = cursor.length();
  for (let g = 0; g < groups; g++) {
    cursor.string();
    cursor.length();
    cursor.length();
    if (version >= 2) cursor.length();
    const pending = cursor.length();
    for (let p = 0; p < pending; p++) {
      cursor.take(16 + 8);
      cursor.length();
    }
    const consumers = cursor.length();
    for (let c = 0; c < consumers; c++) {
      cursor.string();
      cursor.take(version >= 3 ? 16 : 8);
      cursor.take(16 * cursor.length());
    }
  }
}

/** Module value in the self-describing v2 encoding: typed opcodes (1 sint, 2 uint, 3 float, 4 double, 5 string) until 0. */
export function skipModuleValue(cursor: RdbCursor): void {
  for (;;) {
    const opcode = cursor.length();
    if (opcode === 0) return;
    if (opcode === 1 || opcode === 2) cursor.length();
    else if (opcode === 3) cursor.take(4);
    else if (opcode === 4) cursor.take(8);
    else if (opcode === 5) cursor.string();
    else throw new RdbFormatError(`unknown module value opcode ${opcode}`);
  }
}
