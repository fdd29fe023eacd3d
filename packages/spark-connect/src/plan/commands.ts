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
} from "../gen/spark/connect/commands_pb.js";
import type { Relation } from "../gen/spark/connect/relations_pb.js";

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

export const SAVE_MODES = {
  append: WriteOperation_SaveMode.APPEND,
  overwrite: WriteOperation_SaveMode.OVERWRITE,
  error: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  errorifexists: WriteOperation_SaveMode.ERROR_IF_EXISTS,
  ignore: WriteOperation_SaveMode.IGNORE,
} as const;
export type SaveMode = keyof typeof SAVE_MODES;

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

/** Adds (true) or removes (false) the session's listener bus listener, whose events stream back. */
export function listenerBusCommandPlan(add: boolean): Plan {
  return commandPlan({
    case: "streamingQueryListenerBusCommand",
    value: { command: add ? { case: "addListenerBusListener", value: true } : { case: "removeListenerBusListener", value: true } },
  });
}

/** The protocol's listener event types, by name. */
export const LISTENER_EVENT_TYPES = { 1: "progress", 2: "terminated", 3: "idle" } as const;
