/**
 * Which Spark Connect protocol this client speaks, and what to say when a server is newer: such a
 * server accepts this client's plans, but may answer with types and fields it cannot decode.
 */
import { PROTOCOL_VERSION } from "../gen/protocol-version.js";

/** The Spark version whose protocol this client was generated from, e.g. "4.2.0". */
export const SPARK_CONNECT_PROTOCOL_VERSION: string = PROTOCOL_VERSION;

/** Numeric parts of "4.2.0" / "4.2.0-SNAPSHOT"; missing parts count as 0. */
function versionParts(version: string): number[] {
  return (/^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version)?.slice(1) ?? []).map((part) => Number(part ?? 0));
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b` (major.minor.patch). */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < 3; i += 1) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The warning for a server newer than the protocol, or undefined when the client is current. */
export function newerServerWarning(serverVersion: string, protocolVersion = SPARK_CONNECT_PROTOCOL_VERSION): string | undefined {
  if (compareVersions(serverVersion, protocolVersion) <= 0) return undefined;
  return (
    `The Spark Connect server runs Spark ${serverVersion}, newer than the Spark ${protocolVersion} protocol this client ` +
    `was built from: plans work, but results with newer data types fail with UNSUPPORTED_DATA_TYPE.`
  );
}
