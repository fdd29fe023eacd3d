/**
 * Every JVM of the stack runs with a fixed heap: -Xms = -Xmx, each page touched at start. A heap that
 * may grow makes a process's RSS climb for hours towards its -Xmx, so an hour's growth said nothing
 * of a day's ceiling; fixed, the memory a heap will ever hold is resident from the first minute, and
 * what grows after it is the rest (metaspace, code, threads, native buffers), which `bench soak`
 * measures. Kafka's own start scripts fix its heap the same way.
 *
 * `spark.executor.extraJavaOptions` takes it without the maximum: Spark sets an executor's -Xmx
 * from `spark.executor.memory` and refuses a second one.
 */
export function fixedHeap(size: string, options: { withMax?: boolean } = {}): string[] {
  return [`-Xms${size}`, ...(options.withMax === false ? [] : [`-Xmx${size}`]), "-XX:+AlwaysPreTouch"];
}
