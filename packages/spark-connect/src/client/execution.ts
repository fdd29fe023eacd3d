/** Runs a plan and gathers what it returns: Arrow batches, the schema, command results. */
import { RecordBatchReader, Table, type RecordBatch } from "apache-arrow";
import type { ExecutePlanResponse, Plan } from "../gen/spark/connect/base_pb.js";
import type { DataType as ProtoDataType } from "../gen/spark/connect/types_pb.js";
import { SparkConnectError } from "../errors.js";
import type { ExecuteOptions, SparkConnectClient } from "./spark-connect-client.js";

export interface ExecutionResult {
  readonly batches: RecordBatch[];
  /** The result schema, when the server sent one. */
  readonly schema: ProtoDataType | undefined;
  /** Every response that was not an Arrow batch (command results, metrics …), in order. */
  readonly others: ExecutePlanResponse[];
}

/** The Arrow record batches of one response (each Arrow batch message is a complete IPC stream). */
export function arrowBatchesOf(response: ExecutePlanResponse): RecordBatch[] {
  return response.responseType.case === "arrowBatch" ? [...RecordBatchReader.from(response.responseType.value.data)] : [];
}

export async function execute(client: SparkConnectClient, plan: Plan, options?: ExecuteOptions): Promise<ExecutionResult> {
  const batches: RecordBatch[] = [];
  const others: ExecutePlanResponse[] = [];
  let schema: ProtoDataType | undefined;
  for await (const response of client.execute(plan, options)) {
    if (response.schema) schema = response.schema;
    if (response.responseType.case === "arrowBatch") batches.push(...arrowBatchesOf(response));
    else if (response.responseType.case !== "resultComplete") others.push(response);
  }
  return { batches, schema, others };
}

type ResponseType = ExecutePlanResponse["responseType"];
/** The result cases a command can answer with (`sqlCommandResult`, `streamingQueryCommandResult` …). */
export type ResultCase = NonNullable<ResponseType["case"]>;
export type ResultOf<C extends ResultCase> = Extract<ResponseType, { case: C }>["value"];

/**
 * Runs a command and returns its result of the expected case, or undefined when the server sent
 * none (some commands answer with nothing but ResultComplete).
 */
export async function executeCommand<C extends ResultCase>(
  client: SparkConnectClient,
  plan: Plan,
  resultCase: C,
  options?: ExecuteOptions,
): Promise<ResultOf<C> | undefined> {
  const { others } = await execute(client, plan, options);
  const found = others.find((response) => response.responseType.case === resultCase);
  return found?.responseType.value as ResultOf<C> | undefined;
}

/** As executeCommand, for commands whose result must be there. */
export async function requireCommandResult<C extends ResultCase>(
  client: SparkConnectClient,
  plan: Plan,
  resultCase: C,
  options?: ExecuteOptions,
): Promise<ResultOf<C>> {
  const result = await executeCommand(client, plan, resultCase, options);
  if (result === undefined) throw new SparkConnectError(`the server answered without a ${resultCase}`);
  return result;
}

export function batchesToTable(batches: readonly RecordBatch[]): Table {
  return new Table(batches as RecordBatch[]);
}
