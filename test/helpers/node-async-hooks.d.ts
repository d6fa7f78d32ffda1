// The slice of node:async_hooks the platform-limits double uses (workerd provides it under nodejs_compat; Node has it
// natively). The project does not install @types/node, whose globals would clash with @cloudflare/workers-types.
declare module "node:async_hooks" {
  export class AsyncLocalStorage<T> {
    getStore(): T | undefined;
    run<R>(store: T, fn: () => R): R;
  }
}
