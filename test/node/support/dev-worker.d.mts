// Types for dev-worker.mjs.
export interface DevWorker {
  /** e.g. "http://127.0.0.1:45123" (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}
/** Starts the Worker with `vars` on fresh local state with the D1 schema applied, as `npm run dev` does. */
export declare function startDevWorker(vars: Record<string, string>): Promise<DevWorker>;
