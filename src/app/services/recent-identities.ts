/**
 * The identities of the last `capacity` records delivered, to recognise a record written again.
 * Pure and bounded: a Set in insertion order, the oldest identity forgotten when a new one comes in
 * at capacity. The job's Kafka sink re-writes the batch a crash interrupted as soon as it restarts,
 * so a re-write follows its original by at most a few batches: the last records are enough.
 */
export class RecentIdentities {
  readonly #capacity: number;
  readonly #identities = new Set<string>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
    this.#capacity = capacity;
  }

  /** Remembers `identity`; answers false if it was remembered already (the record is a re-write). */
  add(identity: string): boolean {
    if (this.#identities.has(identity)) return false;
    this.#identities.add(identity);
    if (this.#identities.size > this.#capacity) this.#identities.delete(this.#identities.values().next().value!);
    return true;
  }

  get size(): number {
    return this.#identities.size;
  }
}
