import { SPARK_CONNECT_PROTOCOL_VERSION } from "spark-connect-ts";

/** The engine versions the stack runs; Maven resolves their jars from Maven Central. */
export const KAFKA_VERSION = "4.4.0";
/**
 * The Spark server the stack runs by default: the version whose protocol the client was generated
 * from (the one place it is chosen is the client's build). `STEDI_SPARK_VERSION` picks another one,
 * e.g. 4.0.0 to test the client against an older server.
 */
export const DEFAULT_SPARK_VERSION = SPARK_CONNECT_PROTOCOL_VERSION;
export const SCALA_BINARY_VERSION = "2.13";
