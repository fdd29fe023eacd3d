/**
 * Parses a Spark Connect connection string, `sc://host[:port][/;param=value;…]`, as documented by
 * Spark ("Spark Connect client connection string"): the parameters this client honours are
 * `user_id`, `session_id`, `token` and `use_ssl`; unknown ones are sent as gRPC metadata headers.
 */
import { SparkConnectError } from "../errors.js";

export const DEFAULT_PORT = 15002;

export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  /** `host:port`, as gRPC dials it and as error messages name it. */
  readonly address: string;
  readonly userId: string | undefined;
  readonly sessionId: string | undefined;
  readonly token: string | undefined;
  readonly useSsl: boolean;
  /** Remaining parameters, passed to the server as request metadata. */
  readonly headers: Readonly<Record<string, string>>;
}

function invalid(url: string, why: string): SparkConnectError {
  return new SparkConnectError(`Invalid Spark Connect URL "${url}": ${why}. Expected sc://host:port, e.g. sc://127.0.0.1:15002.`, {
    errorClass: "INVALID_CONNECT_URL",
  });
}

export function parseConnectionString(url: string): ConnectionTarget {
  if (!url.startsWith("sc://")) throw invalid(url, 'the scheme must be "sc"');
  const [authority = "", ...rest] = url.slice("sc://".length).split("/");
  const paramText = rest.join("/");
  if (authority === "") throw invalid(url, "the host is missing");
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(authority);
  const match = bracketed ?? plain;
  if (!match) throw invalid(url, `cannot read host and port from "${authority}"`);
  const host = match[1] as string;
  const port = match[2] === undefined ? DEFAULT_PORT : Number(match[2]);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw invalid(url, `port ${match[2]} is out of range`);

  const params = new Map<string, string>();
  for (const part of paramText.split(";")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw invalid(url, `parameter "${part}" is not key=value`);
    params.set(decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1)));
  }
  const take = (key: string): string | undefined => {
    const value = params.get(key);
    params.delete(key);
    return value;
  };
  const sessionId = take("session_id");
  if (sessionId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sessionId)) {
    throw invalid(url, `session_id "${sessionId}" is not a UUID`);
  }
  const token = take("token");
  const useSslText = take("use_ssl");
  return {
    host,
    port,
    address: bracketed ? `[${host}]:${port}` : `${host}:${port}`,
    userId: take("user_id"),
    sessionId,
    token,
    useSsl: useSslText === "true" || token !== undefined,
    headers: Object.fromEntries(params),
  };
}
