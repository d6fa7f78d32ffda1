import type { SinkRecord } from "../../emulator/sinks";
import { emulatorUrl } from "./emulator";

export type { SinkRecord };

/**
 * A catch-all receiver on the emulator standing in for whatever the Worker posts to: Slack incoming webhooks and
 * `response_url`s, Discord's interaction webhooks, the security channel, digest and Standard Webhooks receivers.
 * A name starting `fail-<status>` (e.g. `newSink("fail-500")`) makes the sink answer that status.
 */
export interface Sink {
  name: string;
  /** The sink's root URL, for a setting such as `NOTIFY_SLACK_WEBHOOK_URL`. */
  url: string;
  /** The URL of `path` under the sink (`at("/commands/T0ACME/1/abc")`); what arrived there keeps that `path`. */
  at(path?: string): string;
  /** Every request the sink received, oldest first (method, path under the sink, content type, kept headers, body). */
  received(): Promise<SinkRecord[]>;
  /** The received bodies parsed as JSON, oldest first. */
  bodies(): Promise<Record<string, unknown>[]>;
}

/** A fresh sink with a name of its own (tests never share one). */
export function newSink(prefix = "sink"): Sink {
  const name = `${prefix}-${crypto.randomUUID()}`;
  const url = `${emulatorUrl()}/__sinks/${name}`;
  const received = async () => (await (await fetch(`${emulatorUrl()}/__emulator/sinks/${name}`)).json()) as SinkRecord[];
  return {
    name,
    url,
    at: (path = "") => `${url}${path}`,
    received,
    bodies: async () => (await received()).map((r) => JSON.parse(r.body) as Record<string, unknown>),
  };
}
