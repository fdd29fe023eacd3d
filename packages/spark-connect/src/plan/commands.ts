/** Builders of `spark.connect.Plan`s: a relation to run, or one of the commands the client sends. */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { PlanSchema, type Plan } from "../gen/spark/connect/base_pb.js";
import {
  CommandSchema,
  WriteOperation_SaveMode,
  WriteOperation_SaveTable_TableSaveMethod,
  StreamingQueryCommandSchema,
  StreamingQueryManagerCommandSchema,
  type StreamingQueryCommandResult,
  type StreamingQueryManagerCommandResult,
  WriteStreamOperationStartSchema,
  WriteOperationV2_Mode,
} from "../gen/spark/connect/commands_pb.js";
import type { Expression } from "../gen/spark/connect/expressions_pb.js";
import type { Relation } from "../gen/spark/connect/relations_pb.js";
import type { DataType as ProtoDataType } from "../gen/spark/connect/types_pb.js";

export function rootPlan(root: Relation): Plan {
  return create(PlanSchema, { opType: { case: "root", value: root } });
}

export function commandPlan(commandType: MessageInitShape<typeof CommandSchema>["commandType"]): Plan {
  return create(PlanSchema, { opType: { case: "command", value: create(CommandSchema, { commandType }) } });
}

export function sqlCommandPlan(input: Relation): Plan {
  return commandPlan({ case: "sqlCommand", value: { input } });
}

export function createViewPlan(input: Relation, name: string, isGlobal: boolean, replace: boolean): Plan {
  return commandPlan({ case: "createDataframeView", value: { input, name, isGlobal, replace } });
}

/** What `DataFrameWriter.mode` does when the target exists, PySpark's save modes: append, overwrite, error/errorifexists, ignore. */
export type SaveMode = "append" | "overwrite" | "error" | "errorifexists" | "ignore";

export const SAVE_MODES: Readonly<Record<SaveMode, WriteOperation_SaveMode>> = {
  append: WriteOperation_SaveMode.APPEND,
  overwrite: WriteOperation_SaveMode.OVERWRITE,
  error: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  errorifexists: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  ignore: WriteOperation_SaveMode.IGNORE,
};

export interface WriteSpec {
  readonly source?: string | undefined;
  readonly mode: SaveMode;
  readonly options: Record<string, string>;
  readonly partitionBy: readonly string[];
  readonly sortBy: readonly string[];
  readonly bucketBy?: { readonly numBuckets: number; readonly columns: readonly string[] } | undefined;
  readonly path?: string | undefined;
  readonly table?: { readonly name: string; readonly method: "saveAsTable" | "insertInto" } | undefined;
}

export function writePlan(input: Relation, spec: WriteSpec): Plan {
  const saveType = spec.table
    ? {
        case: "table" as const,
        value: {
          tableName: spec.table.name,
          saveMethod:
            spec.table.method === "saveAsTable" ? WriteOperation_SaveTable_TableSaveMethod.SAVE_AS_TABLE : WriteOperation_SaveTable_TableSaveMethod.INSERT_INTO,
        },
      }
    : spec.path === undefined
      ? { case: undefined }
      : { case: "path" as const, value: spec.path };
  return commandPlan({
    case: "writeOperation",
    value: {
      input,
      ...(spec.source === undefined ? {} : { source: spec.source }),
      saveType,
      mode: SAVE_MODES[spec.mode],
      options: spec.options,
      partitioningColumns: [...spec.partitionBy],
      sortColumnNames: [...spec.sortBy],
      ...(spec.bucketBy ? { bucketBy: { numBuckets: spec.bucketBy.numBuckets, bucketColumnNames: [...spec.bucketBy.columns] } } : {}),
    },
  });
}

export type WriteStreamSpec = Omit<MessageInitShape<typeof WriteStreamOperationStartSchema>, "$typeName" | "input">;

export function writeStreamPlan(input: Relation, spec: WriteStreamSpec): Plan {
  return commandPlan({ case: "writeStreamOperationStart", value: { ...spec, input } });
}

export function streamingQueryCommandPlan(id: string, runId: string, command: StreamingQueryCommand): Plan {
  return commandPlan({ case: "streamingQueryCommand", value: { queryId: { id, runId }, command } });
}

export function streamingQueryManagerCommandPlan(command: StreamingQueryManagerCommand): Plan {
  return commandPlan({ case: "streamingQueryManagerCommand", value: { command } });
}

export type StreamingQueryCommand = MessageInitShape<typeof StreamingQueryCommandSchema>["command"];
export type StreamingQueryCommandResultType = StreamingQueryCommandResult["resultType"];
export type StreamingQueryManagerCommand = MessageInitShape<typeof StreamingQueryManagerCommandSchema>["command"];
export type StreamingQueryManagerCommandResultType = StreamingQueryManagerCommandResult["resultType"];

/** Registers a Java class implementing one of Spark's `UDF0`…`UDF22` (or a UDAF) under `name`, for SQL and `F.call_function`. */
export function registerJavaFunctionPlan(name: string, className: string, outputType: ProtoDataType | undefined, aggregate: boolean): Plan {
  return commandPlan({
    case: "registerFunction",
    value: {
      functionName: name,
      deterministic: true,
      arguments: [],
      function: { case: "javaUdf", value: { className, ...(outputType === undefined ? {} : { outputType }), aggregate } },
    },
  });
}

export const WRITE_V2_MODES = {
  create: WriteOperationV2_Mode.CREATE,
  overwrite: WriteOperationV2_Mode.OVERWRITE,
  overwritePartitions: WriteOperationV2_Mode.OVERWRITE_PARTITIONS,
  append: WriteOperationV2_Mode.APPEND,
  replace: WriteOperationV2_Mode.REPLACE,
  createOrReplace: WriteOperationV2_Mode.CREATE_OR_REPLACE,
} as const;
export type WriteV2Mode = keyof typeof WRITE_V2_MODES;

export interface WriteV2Spec {
  readonly tableName: string;
  readonly provider?: string | undefined;
  readonly partitionBy: readonly Expression[];
  readonly clusterBy: readonly string[];
  readonly options: Record<string, string>;
  readonly tableProperties: Record<string, string>;
  /** Only for `overwrite`: the rows to replace. */
  readonly overwriteCondition?: Expression | undefined;
}

export function writeV2Plan(input: Relation, spec: WriteV2Spec, mode: WriteV2Mode): Plan {
  return commandPlan({
    case: "writeOperationV2",
    value: {
      input,
      tableName: spec.tableName,
      ...(spec.provider === undefined ? {} : { provider: spec.provider }),
      partitioningColumns: [...spec.partitionBy],
      clusteringColumns: [...spec.clusterBy],
      options: spec.options,
      tableProperties: spec.tableProperties,
      mode: WRITE_V2_MODES[mode],
      ...(spec.overwriteCondition === undefined ? {} : { overwriteCondition: spec.overwriteCondition }),
    },
  });
}

/** Adds (true) or removes (false) the session's listener bus listener, whose events stream back. */
export function listenerBusCommandPlan(add: boolean): Plan {
  return commandPlan({
    case: "streamingQueryListenerBusCommand",
    value: { command: add ? { case: "addListenerBusListener", value: true } : { case: "removeListenerBusListener", value: true } },
  });
}

/** The protocol's listener event types, by name. */
export const LISTENER_EVENT_TYPES = { 1: "progress", 2: "terminated", 3: "idle" } as const;
