import { SparkSession } from "spark-connect-ts";
import { SparkConnectClient } from "../../../packages/spark-connect/src/client/spark-connect-client.js";
import { parseConnectionString } from "../../../packages/spark-connect/src/client/connection-string.js";
import { GrpcTransport } from "../../../packages/spark-connect/src/client/transport.js";

/**
 * A session that never connects: building plans needs no server (port 1 is never dialled). Built
 * directly, since the builder asks the server its version.
 */
export function offlineSession(): SparkSession {
  const target = parseConnectionString("sc://127.0.0.1:1");
  return new SparkSession(new SparkConnectClient(target, new GrpcTransport(target)));
}
