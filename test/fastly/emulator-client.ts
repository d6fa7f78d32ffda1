import { FastlyClient, type FastlyClientOptions } from "../../src/fastly";
import type { Tenant } from "../helpers";

/** A client pointed at an emulator tenant; sleeps are recorded instead of waited, unless a test says otherwise. */
export function clientFor(t: Tenant, apiKey?: string, options: FastlyClientOptions = {}) {
  const sleeps: number[] = [];
  const client = new FastlyClient({
    baseUrl: t.baseUrl,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...(apiKey === undefined ? {} : { apiKey }),
    ...options,
  });
  return { client, sleeps };
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err,
  );
}
