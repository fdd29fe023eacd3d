/**
 * The package's internals, for its own tests (golden plans, a fake transport): the protocol
 * plan behind a DataFrame or Column, the gRPC client behind a session. `index.ts` does not export
 * this module and the package's `exports` do not reach it, so users cannot depend on it.
 */
export { columnExpr, exprOf } from "./column.js";
export { relationOf } from "./dataframe.js";
export { clientOf } from "./session.js";
export { SparkConnectClient, type ClientOptions, type ExecuteOptions } from "./client/spark-connect-client.js";
export { GrpcTransport, type CallOptions, type RpcTransport } from "./client/transport.js";
export { execute, executeCommand, requireCommandResult } from "./client/execution.js";
export { parseConnectionString, type ConnectionTarget } from "./client/connection-string.js";
