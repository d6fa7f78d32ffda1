// The slice of node:async_hooks the Worker (src/log.ts: the request id of each log line) and the platform-limits
// double use (workerd provides it under nodejs_compat; Node has it natively). The project does not install @types/node,
// whose globals would clash with @cloudflare/workers-types.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, fn: () => R): R;
  }
}
