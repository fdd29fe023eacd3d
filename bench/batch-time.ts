import type { StateOperatorProgress, StreamingQueryProgress } from "spark-connect-ts";

/** A state store's time in a batch, as each stateful operator reports it. */
type StoreTime = keyof Pick<StateOperatorProgress, "allUpdatesTimeMs" | "allRemovalsTimeMs" | "commitTimeMs">;

/**
 * Where the batches' time went: the mean of each `durationMs` phase, and of each stateful
 * operator's state-store update, eviction and commit time (addBatch's share of it).
 */
export function batchTimeBreakdown(batches: readonly StreamingQueryProgress[]): string {
  const count = Math.max(1, batches.length);
  const phases = new Map<string, number>();
  for (const progress of batches) for (const [phase, ms] of Object.entries(progress.durationMs)) phases.set(phase, (phases.get(phase) ?? 0) + ms / count);
  const operators = batches.at(-1)?.stateOperators ?? [];
  const stores = operators.map((operator, index) => {
    const mean = (field: StoreTime): string => (batches.reduce((sum, progress) => sum + Math.max(0, progress.stateOperators[index]?.[field] ?? 0), 0) / count).toFixed(0);
    return `${operator.operatorName} ${mean("allUpdatesTimeMs")}/${mean("allRemovalsTimeMs")}/${mean("commitTimeMs")}`;
  });
  return `mean of ${batches.length} batches, ms: ${[...phases].map(([phase, ms]) => `${phase} ${ms.toFixed(0)}`).join(", ")}; state stores update/evict/commit ms: ${stores.join(", ")}`;
}

/** Session settings given as `--set key=value` (repeatable), to try a change to the job's settings. */
export function sessionSettings(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error(`--set ${pair}: expected key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
