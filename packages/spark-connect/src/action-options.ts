/** Options every action (a call that runs something on the server) accepts. */
export interface ActionOptions {
  /**
   * Aborting cancels the call and interrupts the operation on the server (by its operation id),
   * so a long query stops using the cluster too; the action rejects with the signal's reason.
   *
   * @example
   * ```ts
   * const rows = await df.collect({ signal: AbortSignal.timeout(30_000) });
   * ```
   */
  readonly signal?: AbortSignal | undefined;
}
