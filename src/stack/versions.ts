/** The engine versions the stack runs; Maven resolves their jars from Maven Central. */
export const KAFKA_VERSION = "4.1.1";
/** Spark 4.0.0: the newest 4.x whose connect, sql-kafka and token-provider artifacts all resolve. */
export const SPARK_VERSION = "4.0.0";
export const SCALA_BINARY_VERSION = "2.13";
