/**
 * The log4j2 configuration of every JVM the stack starts (Spark's and Kafka's), generated here and
 * written into the runtime folder at start. A daemon logs into its own size-capped rolling file; an
 * executor logs to stderr, which its worker captures and rolls (spark.executor.logs.rolling.*).
 */

/** Where a JVM's log goes, and how much of it is kept. */
export type Log4j2Target =
  | { readonly file: string; readonly maxBytes: number; readonly rolledFiles: number }
  | { readonly stderr: true };

export type Log4j2Level = "error" | "warn" | "info";

export interface Log4j2Options {
  readonly target: Log4j2Target;
  readonly rootLevel: Log4j2Level;
  /** Logger name (a class or package) → its level, where it differs from the root's. */
  readonly loggers: Readonly<Record<string, Log4j2Level>>;
  readonly pattern: string;
}


/** The text of a log4j2.properties file. */
export function log4j2Properties(options: Log4j2Options): string {
  const { target } = options;
  const appender =
    "stderr" in target
      ? ["appender.out.type = Console", "appender.out.target = SYSTEM_ERR"]
      : [
          "appender.out.type = RollingFile",
          `appender.out.fileName = ${target.file}`,
          // log.1 is the newest rolled file, as with logrotate.
          `appender.out.filePattern = ${target.file}.%i`,
          "appender.out.policies.type = Policies",
          "appender.out.policies.size.type = SizeBasedTriggeringPolicy",
          `appender.out.policies.size.size = ${target.maxBytes}`,
          "appender.out.strategy.type = DefaultRolloverStrategy",
          "appender.out.strategy.fileIndex = min",
          `appender.out.strategy.max = ${target.rolledFiles}`,
        ];
  const loggers = Object.entries(options.loggers).flatMap(([name, level], index) => [`logger.l${index}.name = ${name}`, `logger.l${index}.level = ${level}`]);
  return (
    [
      "status = warn",
      "appender.out.name = out",
      ...appender,
      "appender.out.layout.type = PatternLayout",
      `appender.out.layout.pattern = ${options.pattern}`,
      `rootLogger.level = ${options.rootLevel}`,
      "rootLogger.appenderRef.out.ref = out",
      ...loggers,
    ].join("\n") + "\n"
  );
}
