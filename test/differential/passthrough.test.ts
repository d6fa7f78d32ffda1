import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS } from "./corpus";
import { comparable, dropPair, newPair, type Pair, READINGS, resetPair, runBoth, stateOf, withoutUsage } from "./harness";

// The differential test: every case of the corpus, under every reading of the open questions, answered straight by
// the emulator and through the Worker in passthrough mode. Same status, media type, Allow, body and end state.
for (const { name: reading, config } of READINGS) describe(`under ${reading}`, () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await newPair();
  });
  afterAll(async () => {
    if (pair) await dropPair(pair);
  });

  for (const { name, steps, refusedByWorker } of CORPUS) {
    it(`${name}: the Worker answers as Fastly does and leaves the same state`, async () => {
    await resetPair(pair, config);
    const run = await runBoth(pair, steps);
    run.steps.forEach((step, i) => {
      const where = `step ${i + 1}: ${step.method ?? "GET"} ${step.path}`;
      expect(comparable(run.worker[i]!, run.direct[i]), where).toEqual(comparable(run.direct[i]!));
    });
      if (refusedByWorker) {
        // Refused before Fastly was asked: no upstream call, so the key's use (time, ip, user agent) is not recorded.
        expect(await pair.behind.calls()).toEqual([]);
        expect(withoutUsage(await stateOf(pair.behind))).toEqual(withoutUsage(await stateOf(pair.direct)));
        return;
      }
      expect(await stateOf(pair.behind)).toEqual(await stateOf(pair.direct));
    });
  }
});
