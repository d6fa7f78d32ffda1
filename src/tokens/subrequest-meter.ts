/**
 * Counts the subrequests one invocation makes (fetches and queue sends), because Workers cap them per invocation
 * (50 on the free plan). The leak workflow sizes its inline work from the budget and logs what it actually spent.
 */
export class SubrequestMeter {
  count = 0;

  /** A fetch that counts every call before making it. */
  wrap(fetchFn: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
    return (input, init) => {
      this.count++;
      return fetchFn(input, init);
    };
  }
}
