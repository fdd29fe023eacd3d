/** Runs a plan and gathers what it returns: Arrow batches, the schema, command results. */
import { RecordBatchReader, Table, type RecordBatch } from "apache-arrow";
import type { ExecutePlanResponse, Plan } from "../gen/spark/connect/base_pb.js";
import type { DataType as ProtoDataType } from "../gen/spark/connect/types_pb.js";
import type { SparkConnectClient } from "./spark-connect-client.js";

export interface ExecutionResult {
  readonly batches: RecordBatch[];
  /** The result schema, when the server sent one. */
  readonly schema: ProtoDataType | undefined;
  /** Every response that was not an Arrow batch (command results, metrics …), in order. */
  readonly others: ExecutePlanResponse[];
}

export async function execute(client: SparkConnectClient, plan: Plan): Promise<ExecutionResult> {
  const batches: RecordBatch[] = [];
  const others: ExecutePlanResponse[] = [];
  let schema: ProtoDataType | undefined;
  for await (const response of client.execute(plan)) {
    if (response.schema) schema = response.schema;
    if (response.responseType.case === "arrowBatch") {
      // Each Arrow batch message is a complete IPC stream (schema + batches).
      for (const batch of RecordBatchReader.from(response.responseType.value.data)) batches.push(batch);
    } else if (response.responseType.case !== "resultComplete") {
      others.push(response);
    }
  }
  return { batches, schema, others };
}

export function batchesToTable(batches: readonly RecordBatch[]): Table {
  return new Table(batches as RecordBatch[]);
}
