/** `StorageLevel`: where and how `persist` keeps a DataFrame's blocks, with PySpark's named levels. */
export class StorageLevel {
  constructor(
    readonly useDisk: boolean,
    readonly useMemory: boolean,
    readonly useOffHeap: boolean,
    readonly deserialized: boolean,
    readonly replication = 1,
  ) {}

  static readonly NONE = new StorageLevel(false, false, false, false);
  static readonly DISK_ONLY = new StorageLevel(true, false, false, false);
  static readonly DISK_ONLY_2 = new StorageLevel(true, false, false, false, 2);
  static readonly DISK_ONLY_3 = new StorageLevel(true, false, false, false, 3);
  static readonly MEMORY_ONLY = new StorageLevel(false, true, false, false);
  static readonly MEMORY_ONLY_2 = new StorageLevel(false, true, false, false, 2);
  static readonly MEMORY_AND_DISK = new StorageLevel(true, true, false, false);
  static readonly MEMORY_AND_DISK_2 = new StorageLevel(true, true, false, false, 2);
  static readonly OFF_HEAP = new StorageLevel(true, true, true, false);
  /** What `cache()` uses, as in PySpark. */
  static readonly MEMORY_AND_DISK_DESER = new StorageLevel(true, true, false, true);

  /** True when both describe the same level. */
  equals(other: StorageLevel): boolean {
    return (
      this.useDisk === other.useDisk &&
      this.useMemory === other.useMemory &&
      this.useOffHeap === other.useOffHeap &&
      this.deserialized === other.deserialized &&
      this.replication === other.replication
    );
  }

  /** As PySpark prints it, e.g. "Disk Memory Deserialized 1x Replicated". */
  toString(): string {
    const parts = [this.useDisk ? "Disk" : "", this.useMemory ? "Memory" : "", this.useOffHeap ? "OffHeap" : "", this.deserialized ? "Deserialized" : "Serialized"];
    return `${parts.filter(Boolean).join(" ")} ${this.replication}x Replicated`;
  }
}
