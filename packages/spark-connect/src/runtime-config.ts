/** `spark.conf`: the session's runtime configuration on the server. */
import type { SparkConnectClient } from "./client/spark-connect-client.js";

/** A configuration value; sent to the server as its string form. */
export type ConfValue = string | number | boolean;

/** The session's runtime configuration on the server, PySpark's `RuntimeConfig` (`spark.conf`): `await spark.conf.set("spark.sql.shuffle.partitions", 8)`. */
export class RuntimeConfig {
  readonly #client: SparkConnectClient;

  /**
   * Made by the session: use `spark.conf`.
   *
   * @internal
   */
  constructor(client: SparkConnectClient) {
    this.#client = client;
  }

  /** Sets one configuration key, PySpark's `set`: `await spark.conf.set("spark.sql.ansi.enabled", true)`. */
  async set(key: string, value: ConfValue): Promise<void> {
    await this.#client.config({ case: "set", value: { pairs: [{ key, value: String(value) }] } });
  }

  /** Sets several keys at once; `silent` ignores keys the server refuses (e.g. static ones). */
  async setAll(pairs: Record<string, ConfValue>, silent = false): Promise<void> {
    const list = Object.entries(pairs).map(([key, value]) => ({ key, value: String(value) }));
    if (list.length > 0) await this.#client.config({ case: "set", value: { pairs: list, silent } });
  }

  /** The value of `key`; `defaultValue` when unset (without one, an unset key is an error). */
  async get(key: string, defaultValue?: string): Promise<string | undefined> {
    const response =
      defaultValue === undefined
        ? await this.#client.config({ case: "get", value: { keys: [key] } })
        : await this.#client.config({ case: "getWithDefault", value: { pairs: [{ key, value: defaultValue }] } });
    return response.pairs[0]?.value;
  }

  /** The value of `key`, or undefined when it is not set (never an error). */
  async getOption(key: string): Promise<string | undefined> {
    const response = await this.#client.config({ case: "getOption", value: { keys: [key] } });
    return response.pairs[0]?.value;
  }

  /** Every set key and its value, only those starting with `prefix` when given (PySpark's `getAll`). */
  async getAll(prefix?: string): Promise<Record<string, string>> {
    const response = await this.#client.config({ case: "getAll", value: prefix === undefined ? {} : { prefix } });
    return Object.fromEntries(response.pairs.map((pair) => [pair.key, pair.value ?? ""]));
  }

  /** Resets a key to its default, PySpark's `unset`. */
  async unset(key: string): Promise<void> {
    await this.#client.config({ case: "unset", value: { keys: [key] } });
  }

  /** True when the key can be changed at runtime (not a static configuration), PySpark's `isModifiable`. */
  async isModifiable(key: string): Promise<boolean> {
    const response = await this.#client.config({ case: "isModifiable", value: { keys: [key] } });
    return response.pairs[0]?.value === "true";
  }
}
