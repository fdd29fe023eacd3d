/**
 * The memory each JVM of the stack may hold, fixed from its start, so that a day of `npm start`
 * stays inside a known footprint (issue 9: ≤ 4 GiB RSS in all).
 *
 * - The heap is fixed and pre-touched (-Xms = -Xmx, AlwaysPreTouch): a heap allowed to grow makes
 *   a process's RSS climb for hours towards its -Xmx, so an hour's growth said nothing of a day's
 *   ceiling. Fixed, the heap is resident from the first minute, and what an hour adds is the rest.
 * - The rest is capped where the JVM can cap it: class metadata (MaxMetaspaceSize) and JIT-compiled
 *   code (ReservedCodeCacheSize, 240 MiB by default). Each cap is about twice what the process held
 *   after five minutes of `npm start` (Native Memory Tracking), so it bounds, never starves.
 * - Class metadata is collected early. Spark keeps generating and compiling classes as the job
 *   runs; those it no longer uses are garbage that only a whole-heap collection unloads, and with
 *   the job's state off the heap those were rare: the executor's metaspace grew 48 MiB/h under
 *   `npm start`, and a full collection after 30 minutes gave 16 MiB of it back.
 *   Metaspace triggers a collection when it reaches a threshold that the JVM then sets 10–20 % above
 *   what is live (its defaults, 40–70 %, let garbage pile up), starting at about the warm system's
 *   need so that start-up does not collect for every class it loads. (Its effect alone was not
 *   isolated: over an hour the executor still ran only two concurrent cycles.)
 * - The small daemons (Spark's master and worker, Kafka) use the serial collector: G1's own
 *   structures took 41 MiB beside a 92 MiB master heap, 50 MiB beside Kafka's. The engines that run
 *   the job (the Connect server, the executors) keep G1 for its short pauses.
 * - Spark's master and worker compile with C1 only: they answer a few RPCs a minute, and C2's
 *   optimised code and its compiler's arenas are what kept them growing.
 * - Every JVM gives the C library's freed memory back to the system once a minute
 *   (TrimNativeHeapInterval): the JIT compilers' arenas, Netty's and RocksDB's buffers are freed
 *   in bursts that glibc otherwise keeps mapped for the process's next allocation.
 *   With both, over an hour of `npm start`: master 11.1 → 0.5 MiB/h, worker 6.4 → 1.9, Kafka
 *   7.5 → 0.1, the Connect server 29.0 → 6.9 (its state also smaller, with a shorter join horizon).
 */
export interface JvmMemory {
  readonly heap: string;
  /** Where the first metaspace-triggered collection comes (about what the warm process needs), and the cap. */
  readonly metaspace: { readonly firstGcAt: string; readonly max: string };
  readonly codeCache: string;
  readonly collector: "serial" | "g1";
  /** "c1": the quick compiler only, for a daemon whose speed does not matter; "tiered": C1 then C2. */
  readonly jit: "c1" | "tiered";
}

/** Spark's master and worker hold a handful of applications and executors (metaspace 43 MiB, code 15 MiB, old generation 28 MiB). */
export const SPARK_DAEMON_MEMORY: JvmMemory = { heap: "96m", metaspace: { firstGcAt: "48m", max: "96m" }, codeCache: "48m", collector: "serial", jit: "c1" };

/**
 * A Kafka node serves a few hundred records a minute; its page cache, not its heap, holds the logs
 * (metaspace 48 MiB, code 25 MiB). Its log cleaner's key map, 128 MiB of heap by default, is cut to
 * 16 MiB (see kafkaServerProperties): with the default map, a 256m heap's 175 MiB old generation was
 * full (40 full collections in 30 minutes); with 16 MiB it held 63 MiB.
 */
export const KAFKA_MEMORY: JvmMemory = { heap: "256m", metaspace: { firstGcAt: "56m", max: "128m" }, codeCache: "64m", collector: "serial", jit: "tiered" };

/** The Connect server, the job's driver (metaspace 161 MiB, code 82 MiB); its heap is the config's. */
export function driverMemory(heap: string): JvmMemory {
  return { heap, metaspace: { firstGcAt: "192m", max: "384m" }, codeCache: "192m", collector: "g1", jit: "tiered" };
}

/** An executor (metaspace 85 MiB, code 50 MiB); its heap is the config's. */
export function executorMemory(heap: string): JvmMemory {
  return { heap, metaspace: { firstGcAt: "112m", max: "256m" }, codeCache: "128m", collector: "g1", jit: "tiered" };
}

/** How often a JVM returns the C library's free memory to the system (needs JDK 17.0.9 or later). */
const NATIVE_HEAP_TRIM_INTERVAL_MS = 60_000;

/**
 * The JVM options for `memory`. An executor's go through spark.executor.extraJavaOptions without
 * -Xmx (`withMax: false`): Spark sets it from spark.executor.memory and refuses a second one.
 */
export function jvmMemoryOptions(memory: JvmMemory, options: { withMax?: boolean } = {}): string[] {
  return [
    `-Xms${memory.heap}`,
    ...(options.withMax === false ? [] : [`-Xmx${memory.heap}`]),
    "-XX:+AlwaysPreTouch",
    `-XX:MetaspaceSize=${memory.metaspace.firstGcAt}`,
    `-XX:MaxMetaspaceSize=${memory.metaspace.max}`,
    "-XX:MinMetaspaceFreeRatio=10",
    "-XX:MaxMetaspaceFreeRatio=20",
    `-XX:ReservedCodeCacheSize=${memory.codeCache}`,
    memory.collector === "serial" ? "-XX:+UseSerialGC" : "-XX:+UseG1GC",
    ...(memory.jit === "c1" ? ["-XX:TieredStopAtLevel=1"] : []),
    `-XX:TrimNativeHeapInterval=${NATIVE_HEAP_TRIM_INTERVAL_MS}`,
  ];
}

/**
 * The environment of every JVM: glibc gives a thread that meets a busy allocator an arena of its
 * own (up to 8 per core), and the native allocations of RocksDB, Netty and the JVM itself leave each
 * partly used; two arenas keep that fragmentation from growing with the threads.
 */
export const JVM_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };
