import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS, type Case } from "./corpus";
import { comparable, dropPair, newPair, type Pair, READINGS, resetPair, runBoth, stateOf, withoutUsage } from "./harness";

// The differential test: every case of the corpus, under every reading of the open questions, answered straight by
// the emulator and through the Worker in passthrough mode. Same status, media type, Allow, body and end state.
// The readings run side by side, each on its own pair of tenants.

async function compare(pair: Pair, reading: string, { steps, refusedByWorker }: Case): Promise<void> {
  const run = await runBoth(pair, steps);
  run.steps.forEach((step, i) => {
    const where = `under ${reading}, step ${i + 1}: ${step.method ?? "GET"} ${step.path}`;
    expect(comparable(run.worker[i]!, run.direct[i]), where).toEqual(comparable(run.direct[i]!));
  });
  const [behind, direct] = [await stateOf(pair.behind), await stateOf(pair.direct)];
  if (refusedByWorker) {
    // Refused before Fastly was asked: no upstream call, so the key's use (time, ip, user agent) is not recorded.
    expect(await pair.behind.calls(), `under ${reading}`).toEqual([]);
    expect(withoutUsage(behind), `under ${reading}`).toEqual(withoutUsage(direct));
  } else {
    expect(behind, `under ${reading}: the state after the case`).toEqual(direct);
  }
}

describe("the Worker in passthrough mode against Fastly (the emulator), under every reading of the open questions", () => {
  const pairs: Pair[] = [];
  beforeAll(async () => {
    for (const _ of READINGS) pairs.push(await newPair());
  });
  afterAll(async () => {
    for (const pair of pairs) await dropPair(pair);
  });

  for (const testCase of CORPUS) {
    it(`${testCase.name}: answers as Fastly does and leaves the same state`, async () => {
      await Promise.all(
        READINGS.map(async ({ name, config }, i) => {
          const pair = pairs[i]!;
          await resetPair(pair, config);
          await compare(pair, name, testCase);
        }),
      );
    });
  }
});
