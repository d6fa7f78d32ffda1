/**
 * What one invocation spends of the platform's per-invocation budgets: subrequests (fetches and queue sends; 50 on
 * the free plan), KV operations (1,000) and D1 queries (50 free, 1,000 paid). One meter per request, queue batch
 * or cron run; the leak workflow sizes its inline work from it and every surface logs it once.
 */
export class InvocationMeter {
  subrequests = 0;
  kvReads = 0;
  kvWrites = 0;
  d1Queries = 0;

  /** A fetch that counts every call before making it. */
  wrap(fetchFn: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
    return (input, init) => {
      this.subrequests++;
      return fetchFn(input, init);
    };
  }

  get storageOps(): number {
    return this.kvReads + this.kvWrites + this.d1Queries;
  }

  snapshot() {
    return { subrequests: this.subrequests, kv_reads: this.kvReads, kv_writes: this.kvWrites, d1_queries: this.d1Queries };
  }
}
