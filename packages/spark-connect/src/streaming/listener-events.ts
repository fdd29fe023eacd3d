/**
 * Streaming query listener events as an async iterator, over Spark Connect's listener bus: the
 * client adds one server-side listener for the session and the server streams every event of
 * every query of the session back on that ExecutePlan call, until the loop ends.
 */
import type { ActionOptions } from "../action-options.js";
import { executeCommand } from "../client/execution.js";
import { LISTENER_EVENT_TYPES, listenerBusCommandPlan } from "../plan/commands.js";
import { clientOf, type SparkSession } from "../session.js";
import { parseProgress, type StreamingQueryProgress } from "./progress.js";

/**
 * One listener event. The server sends progress, idle and terminated events; a query's start is
 * known to the caller of `start()` (the server's bus does not forward QueryStarted).
 */
export type StreamingQueryListenerEvent =
  | { readonly type: "progress"; readonly progress: StreamingQueryProgress }
  | { readonly type: "idle"; readonly id: string; readonly runId: string; readonly timestamp: string }
  | { readonly type: "terminated"; readonly id: string; readonly runId: string; readonly exception: string | null; readonly errorClassOnException: string | null };

function toEvent(kind: (typeof LISTENER_EVENT_TYPES)[keyof typeof LISTENER_EVENT_TYPES], json: string): StreamingQueryListenerEvent {
  const body = JSON.parse(json) as Record<string, unknown>;
  if (kind === "progress") return { type: "progress", progress: parseProgress(JSON.stringify(body.progress ?? body)) };
  const id = String(body.id ?? "");
  const runId = String(body.runId ?? "");
  if (kind === "idle") return { type: "idle", id, runId, timestamp: String(body.timestamp ?? "") };
  const text = (key: string): string | null => (typeof body[key] === "string" ? (body[key] as string) : null);
  return { type: "terminated", id, runId, exception: text("exception"), errorClassOnException: text("errorClassOnException") };
}

/** The events of every streaming query of the session, from now until the loop ends or `signal` aborts. */
export async function* listenerEvents(session: SparkSession, options: ActionOptions = {}): AsyncGenerator<StreamingQueryListenerEvent, void, undefined> {
  const client = clientOf(session);
  try {
    for await (const response of client.execute(listenerBusCommandPlan(true), { signal: options.signal })) {
      if (response.responseType.case !== "streamingQueryListenerEventsResult") continue;
      for (const event of response.responseType.value.events) {
        const kind = LISTENER_EVENT_TYPES[event.eventType as keyof typeof LISTENER_EVENT_TYPES];
        if (kind !== undefined) yield toEvent(kind, event.eventJson);
      }
    }
  } finally {
    // Ending the stream alone leaves the server's listener registered until the session ends.
    if (!client.closed) await executeCommand(client, listenerBusCommandPlan(false), "streamingQueryListenerEventsResult").catch(() => undefined);
  }
}
