/**
 * `Catalog` (`spark.catalog`): databases, tables, views, columns and functions of the session's
 * catalogs, and the table cache — PySpark's `pyspark.sql.Catalog`, one server call per method.
 */
import type { Row } from "./client/arrow-decode.js";
import { DataFrame } from "./dataframe.js";
import { catalogRel, type CatalogCall } from "./plan/catalog-relations.js";
import { toProtoDataType } from "./plan/data-types.js";
import type { SparkSession } from "./session.js";
import { StorageLevel } from "./storage-level.js";
import { StructType } from "./types/data-types.js";
import type { OptionValue } from "./reader.js";

/** A catalog, as `listCatalogs` returns it. */
export interface CatalogMetadata {
  readonly name: string;
  readonly description: string | null;
}
/** A database (namespace), as `listDatabases` and `getDatabase` return it. */
export interface CatalogDatabase {
  readonly name: string;
  readonly catalog: string | null;
  readonly description: string | null;
  readonly locationUri: string;
}
/** A table or view, as `listTables` and `getTable` return it; `tableType` is MANAGED, EXTERNAL, VIEW or TEMPORARY. */
export interface CatalogTable {
  readonly name: string;
  readonly catalog: string | null;
  readonly namespace: string[] | null;
  readonly description: string | null;
  readonly tableType: string;
  readonly isTemporary: boolean;
}
/** A column of a table, as `listColumns` returns it; `dataType` is Spark's simple type string. */
export interface CatalogColumn {
  readonly name: string;
  readonly description: string | null;
  readonly dataType: string;
  readonly nullable: boolean;
  readonly isPartition: boolean;
  readonly isBucket: boolean;
  readonly isCluster: boolean;
}
/** A function, as `listFunctions` and `getFunction` return it. */
export interface CatalogFunction {
  readonly name: string;
  readonly catalog: string | null;
  readonly namespace: string[] | null;
  readonly description: string | null;
  readonly className: string;
  readonly isTemporary: boolean;
}

/** Options of `createTable`, as PySpark's keyword arguments. */
export interface CreateTableOptions {
  /** A path makes an external table; without it the table is managed. */
  readonly path?: string;
  /** The data source, e.g. "parquet" (default: spark.sql.sources.default). */
  readonly source?: string;
  /** A StructType or a DDL string (`"id BIGINT, name STRING"`); required unless the path holds data that has one. */
  readonly schema?: StructType | string;
  readonly description?: string;
  readonly options?: Record<string, OptionValue>;
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/**
 * The session's catalog: databases, tables, functions, views and the cache, PySpark's `Catalog` (`spark.catalog`).
 *
 * @example
 * ```ts
 * const tables = await spark.catalog.listTables("default");
 * ```
 */
export class Catalog {
  readonly #spark: SparkSession;

  /** @internal Use `spark.catalog`. */
  constructor(spark: SparkSession) {
    this.#spark = spark;
  }

  #run(call: CatalogCall): Promise<Row[]> {
    return new DataFrame(this.#spark, catalogRel(this.#spark.newPlanId(), call)).collect();
  }
  async #value(call: CatalogCall): Promise<unknown> {
    const [row] = await this.#run(call);
    return row === undefined ? undefined : Object.values(row)[0];
  }

  /**
   * The current catalog's name (usually "spark_catalog").
   *
   * @example
   * ```ts
   * await spark.catalog.currentCatalog(); // "spark_catalog"
   * ```
   */
  async currentCatalog(): Promise<string> {
    return String(await this.#value({ case: "currentCatalog", value: {} }));
  }
  /** Makes a catalog the current one: `await spark.catalog.setCurrentCatalog("spark_catalog")`. */
  async setCurrentCatalog(catalogName: string): Promise<void> {
    await this.#run({ case: "setCurrentCatalog", value: { catalogName } });
  }
  /**
   * The catalogs, optionally filtered by a pattern (`*` matches any characters).
   *
   * @example
   * ```ts
   * const names = (await spark.catalog.listCatalogs()).map((c) => c.name);
   * ```
   */
  async listCatalogs(pattern?: string): Promise<CatalogMetadata[]> {
    const rows = await this.#run({ case: "listCatalogs", value: pattern === undefined ? {} : { pattern } });
    return rows.map((row) => ({ name: String(row.name), description: text(row.description) }));
  }

  /**
   * The current database (namespace) of the session.
   *
   * @example
   * ```ts
   * await spark.catalog.currentDatabase(); // "default"
   * ```
   */
  async currentDatabase(): Promise<string> {
    return String(await this.#value({ case: "currentDatabase", value: {} }));
  }
  /** Makes a database the current one: `await spark.catalog.setCurrentDatabase("sales")`. */
  async setCurrentDatabase(dbName: string): Promise<void> {
    await this.#run({ case: "setCurrentDatabase", value: { dbName } });
  }
  /**
   * The databases of the current catalog, optionally filtered by a pattern.
   *
   * @example
   * ```ts
   * const dbs = await spark.catalog.listDatabases("sales*");
   * ```
   */
  async listDatabases(pattern?: string): Promise<CatalogDatabase[]> {
    const rows = await this.#run({ case: "listDatabases", value: pattern === undefined ? {} : { pattern } });
    return rows.map(toDatabase);
  }
  /** One database; throws AnalysisException when it does not exist: `await spark.catalog.getDatabase("default")`. */
  async getDatabase(dbName: string): Promise<CatalogDatabase> {
    const [row] = await this.#run({ case: "getDatabase", value: { dbName } });
    return toDatabase(row ?? {});
  }
  /** True when the database exists: `await spark.catalog.databaseExists("sales")`. */
  async databaseExists(dbName: string): Promise<boolean> {
    return (await this.#value({ case: "databaseExists", value: { dbName } })) === true;
  }

  /**
   * Tables and views of a database (the current one by default), temporary views included.
   *
   * @example
   * ```ts
   * const names = (await spark.catalog.listTables("default", "sales_*")).map((t) => t.name);
   * ```
   */
  async listTables(dbName?: string, pattern?: string): Promise<CatalogTable[]> {
    const rows = await this.#run({ case: "listTables", value: { ...(dbName === undefined ? {} : { dbName }), ...(pattern === undefined ? {} : { pattern }) } });
    return rows.map(toTable);
  }
  /** One table or view (a temporary view too); throws AnalysisException when absent: `await spark.catalog.getTable("people")`. */
  async getTable(tableName: string): Promise<CatalogTable> {
    const [row] = await this.#run({ case: "getTable", value: { tableName } });
    return toTable(row ?? {});
  }
  /**
   * True when the table or view exists (a qualified name, or a name in `dbName`).
   *
   * @example
   * ```ts
   * await spark.catalog.tableExists("people");
   * ```
   */
  async tableExists(tableName: string, dbName?: string): Promise<boolean> {
    return (await this.#value({ case: "tableExists", value: { tableName, ...(dbName === undefined ? {} : { dbName }) } })) === true;
  }
  /**
   * The columns of a table or view.
   *
   * @example
   * ```ts
   * const types = (await spark.catalog.listColumns("people")).map((c) => `${c.name} ${c.dataType}`);
   * ```
   */
  async listColumns(tableName: string, dbName?: string): Promise<CatalogColumn[]> {
    const rows = await this.#run({ case: "listColumns", value: { tableName, ...(dbName === undefined ? {} : { dbName }) } });
    return rows.map((row) => ({
      name: String(row.name),
      description: text(row.description),
      dataType: String(row.dataType),
      nullable: row.nullable === true,
      isPartition: row.isPartition === true,
      isBucket: row.isBucket === true,
      isCluster: row.isCluster === true,
    }));
  }

  /**
   * Functions of a database (built-in and temporary ones included), optionally filtered.
   *
   * @example
   * ```ts
   * const upper = await spark.catalog.listFunctions(undefined, "upp*");
   * ```
   */
  async listFunctions(dbName?: string, pattern?: string): Promise<CatalogFunction[]> {
    const rows = await this.#run({ case: "listFunctions", value: { ...(dbName === undefined ? {} : { dbName }), ...(pattern === undefined ? {} : { pattern }) } });
    return rows.map(toFunction);
  }
  /** One function; throws AnalysisException when absent: `await spark.catalog.getFunction("upper")`. */
  async getFunction(functionName: string): Promise<CatalogFunction> {
    const [row] = await this.#run({ case: "getFunction", value: { functionName } });
    return toFunction(row ?? {});
  }
  /** True when the function exists: `await spark.catalog.functionExists("upper")`. */
  async functionExists(functionName: string, dbName?: string): Promise<boolean> {
    return (await this.#value({ case: "functionExists", value: { functionName, ...(dbName === undefined ? {} : { dbName }) } })) === true;
  }

  /**
   * Creates a table from a data source and returns it as a DataFrame; managed unless `path` is given.
   *
   * @example
   * ```ts
   * const people = await spark.catalog.createTable("people", { source: "parquet", schema: "id BIGINT, name STRING" });
   * ```
   */
  async createTable(tableName: string, options: CreateTableOptions = {}): Promise<DataFrame> {
    const schema = typeof options.schema === "string" ? StructType.fromDDL(options.schema) : options.schema;
    await this.#run({
      case: "createTable",
      value: {
        tableName,
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(options.source === undefined ? {} : { source: options.source }),
        ...(options.description === undefined ? {} : { description: options.description }),
        ...(schema === undefined ? {} : { schema: toProtoDataType(schema) }),
        options: Object.fromEntries(Object.entries(options.options ?? {}).map(([key, value]) => [key, String(value)])),
      },
    });
    return this.#spark.table(tableName);
  }

  /**
   * Drops a temporary view; true when it existed (also uncaches it).
   *
   * @example
   * ```ts
   * await spark.catalog.dropTempView("recent");
   * ```
   */
  async dropTempView(viewName: string): Promise<boolean> {
    return (await this.#value({ case: "dropTempView", value: { viewName } })) === true;
  }
  /** Drops a global temporary view (in `global_temp`); true when it existed: `await spark.catalog.dropGlobalTempView("shared")`. */
  async dropGlobalTempView(viewName: string): Promise<boolean> {
    return (await this.#value({ case: "dropGlobalTempView", value: { viewName } })) === true;
  }

  /**
   * True when the table or view is cached.
   *
   * @example
   * ```ts
   * await spark.catalog.isCached("people");
   * ```
   */
  async isCached(tableName: string): Promise<boolean> {
    return (await this.#value({ case: "isCached", value: { tableName } })) === true;
  }
  /** Caches a table or view (lazily), at a storage level (default MEMORY_AND_DISK): `await spark.catalog.cacheTable("people")`. */
  async cacheTable(tableName: string, storageLevel?: StorageLevel): Promise<void> {
    await this.#run({ case: "cacheTable", value: { tableName, ...(storageLevel === undefined ? {} : { storageLevel: { ...storageLevel } }) } });
  }
  /** Removes a table or view from the cache: `await spark.catalog.uncacheTable("people")`. */
  async uncacheTable(tableName: string): Promise<void> {
    await this.#run({ case: "uncacheTable", value: { tableName } });
  }
  /** Removes every cached table and DataFrame of the session: `await spark.catalog.clearCache()`. */
  async clearCache(): Promise<void> {
    await this.#run({ case: "clearCache", value: {} });
  }
  /** Invalidates cached data and metadata of a table (after its files changed): `await spark.catalog.refreshTable("people")`. */
  async refreshTable(tableName: string): Promise<void> {
    await this.#run({ case: "refreshTable", value: { tableName } });
  }
  /** Invalidates cached data of every DataFrame that reads under a path: `await spark.catalog.refreshByPath("/data/people")`. */
  async refreshByPath(path: string): Promise<void> {
    await this.#run({ case: "refreshByPath", value: { path } });
  }
  /** Adds the partitions found under a partitioned table's location to the catalog: `await spark.catalog.recoverPartitions("events")`. */
  async recoverPartitions(tableName: string): Promise<void> {
    await this.#run({ case: "recoverPartitions", value: { tableName } });
  }
}

function toDatabase(row: Row): CatalogDatabase {
  return { name: String(row.name), catalog: text(row.catalog), description: text(row.description), locationUri: String(row.locationUri ?? "") };
}
function toTable(row: Row): CatalogTable {
  return {
    name: String(row.name),
    catalog: text(row.catalog),
    namespace: Array.isArray(row.namespace) ? (row.namespace as unknown[]).map(String) : null,
    description: text(row.description),
    tableType: String(row.tableType),
    isTemporary: row.isTemporary === true,
  };
}
function toFunction(row: Row): CatalogFunction {
  return {
    name: String(row.name),
    catalog: text(row.catalog),
    namespace: Array.isArray(row.namespace) ? (row.namespace as unknown[]).map(String) : null,
    description: text(row.description),
    className: String(row.className),
    isTemporary: row.isTemporary === true,
  };
}
