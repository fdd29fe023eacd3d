/**
 * Reading primitives of the RDB format over a buffer that may not hold the whole file yet: running
 * past the end throws `NEED_MORE`, and the caller retries the whole entry once more bytes arrived.
 */

export const NEED_MORE = Symbol("rdb: need more bytes");

export class RdbFormatError extends Error {
  override name = "RdbFormatError";
}

export class RdbCursor {
  constructor(
    readonly buffer: Buffer,
    public position: number,
  ) {}

  take(length: number): Buffer {
    if (this.position + length > this.buffer.length) throw NEED_MORE;
    const bytes = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return bytes;
  }

  byte(): number {
    if (this.position >= this.buffer.length) throw NEED_MORE;
    return this.buffer[this.position++]!;
  }

  /**
   * Length encoding: the first byte's top two bits say how it goes on —
   *   00xxxxxx              6-bit length
   *   01xxxxxx xxxxxxxx     14-bit length, big-endian
   *   10000000 + 4 bytes    32-bit length, big-endian;  10000001 + 8 bytes: 64-bit
   *   11xxxxxx              not a length: a special string encoding (xxxxxx: 0 int8, 1 int16, 2 int32, 3 LZF)
   */
  lengthOrEncoding(): { length: number; special: boolean } {
    const first = this.byte();
    switch (first >> 6) {
      case 0:
        return { length: first & 0x3f, special: false };
      case 1:
        return { length: ((first & 0x3f) << 8) | this.byte(), special: false };
      case 2:
        if (first === 0x80) return { length: this.take(4).readUInt32BE(0), special: false };
        if (first === 0x81) return { length: Number(this.take(8).readBigUInt64BE(0)), special: false };
        throw new RdbFormatError(`bad length byte 0x${first.toString(16)} at ${this.position - 1}`);
      default:
        return { length: first & 0x3f, special: true };
    }
  }

  length(): number {
    const { length, special } = this.lengthOrEncoding();
    if (special) throw new RdbFormatError(`expected a length at ${this.position - 1}, found a string encoding`);
    return length;
  }

  /** A string: raw bytes, an integer written as its decimal text, or LZF-compressed bytes. */
  string(): Buffer {
    const { length, special } = this.lengthOrEncoding();
    if (!special) return this.take(length);
    switch (length) {
      case 0:
        return Buffer.from(String(this.take(1).readInt8(0)));
      case 1:
        return Buffer.from(String(this.take(2).readInt16LE(0)));
      case 2:
        return Buffer.from(String(this.take(4).readInt32LE(0)));
      case 3: {
        const compressed = this.length();
        const uncompressed = this.length();
        return lzfDecompress(this.take(compressed), uncompressed);
      }
      default:
        throw new RdbFormatError(`unknown string encoding ${length} at ${this.position - 1}`);
    }
  }

  /** The old zset score: a length byte (253 NaN, 254 +inf, 255 -inf) then ASCII. */
  asciiDouble(): number {
    const length = this.byte();
    if (length === 253) return NaN;
    if (length === 254) return Infinity;
    if (length === 255) return -Infinity;
    return Number(this.take(length).toString("latin1"));
  }

  binaryDouble(): number {
    return this.take(8).readDoubleLE(0);
  }
}

/**
 * LZF (liblzf), as Redis compresses long strings: control byte `000LLLLL` copies L+1 literal bytes;
 * `LLLooooo [L+] oooooooo` copies L+2 bytes from `offset+1` back in the output (L=7 reads one more
 * length byte).
 */
export function lzfDecompress(input: Buffer, outputLength: number): Buffer {
  const output = Buffer.alloc(outputLength);
  let inputIndex = 0;
  let outputIndex = 0;
  while (inputIndex < input.length) {
    const control = input[inputIndex++]!;
    if (control < 32) {
      const run = control + 1;
      if (outputIndex + run > outputLength || inputIndex + run > input.length) throw new RdbFormatError("corrupt LZF literal run");
      input.copy(output, outputIndex, inputIndex, inputIndex + run);
      inputIndex += run;
      outputIndex += run;
      continue;
    }
    let length = control >> 5;
    if (length === 7) length += input[inputIndex++] ?? 0;
    const offsetLow = input[inputIndex++];
    if (offsetLow === undefined) throw new RdbFormatError("truncated LZF back reference");
    let reference = outputIndex - ((control & 0x1f) << 8) - offsetLow - 1;
    length += 2;
    if (reference < 0 || outputIndex + length > outputLength) throw new RdbFormatError("corrupt LZF back reference");
    // Byte by byte: the source may overlap what is being written (runs).
    for (let i = 0; i < length; i++) output[outputIndex++] = output[reference++]!;
  }
  if (outputIndex !== outputLength) throw new RdbFormatError(`LZF produced ${outputIndex} bytes, expected ${outputLength}`);
  return output;
}
