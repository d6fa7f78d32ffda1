import type { InvocationMeter } from "./invocation-meter";
import { log } from "../../log";

/**
 * KV as a cache, never as a source of truth: a failed read is a miss (the caller goes upstream), a failed write
 * or delete is logged and forgotten. Production KV fails calls past its daily caps, past 1,000 operations in one
 * invocation, and on a second write to one key within a second; none of that may fail or change an answer.
 * Every call is counted on the invocation's meter.
 */
export class BestEffortKv {
  constructor(
    private readonly kv: KVNamespace,
    private readonly meter?: InvocationMeter,
  ) {}

  async getJson<T>(key: string): Promise<T | null> {
    if (this.meter) this.meter.kvReads++;
    try {
      return await this.kv.get<T>(key, "json");
    } catch (err) {
      logFailure("get", key, err);
      return null;
    }
  }

  async getText(key: string): Promise<string | null> {
    if (this.meter) this.meter.kvReads++;
    try {
      return await this.kv.get(key);
    } catch (err) {
      logFailure("get", key, err);
      return null;
    }
  }

  /** True when the write was accepted. */
  async put(key: string, value: string, opts?: KVNamespacePutOptions): Promise<boolean> {
    if (this.meter) this.meter.kvWrites++;
    try {
      await this.kv.put(key, value, opts);
      return true;
    } catch (err) {
      logFailure("put", key, err);
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    if (this.meter) this.meter.kvWrites++;
    try {
      await this.kv.delete(key);
    } catch (err) {
      logFailure("delete", key, err);
    }
  }
}

/** Keys hold ids and hashes only (docs/storage.md), so the key's prefix is safe to log; the value never is. */
function logFailure(op: string, key: string, err: unknown): void {
  const prefix = key.split(":").slice(0, 2).join(":");
  log.warn("kv_failed", { op, key_prefix: prefix, error: err instanceof Error ? err.message.slice(0, 120) : "unknown" });
}
