import { describe, expect, it } from "vitest";
import { selectStale } from "../../src/hygiene/stale-policy";
import { daysFromNow, NOW, token } from "./fixtures";

// isStale moved to the core with its tests: test/tokens/token-facts.test.ts.
const policy = { afterDays: 90, maxRevocations: 10, exemptTokenIds: [] as string[] };

describe("selectStale", () => {
  const own = token({ id: "ownWorkerToken00000001", last_used_at: daysFromNow(-100) });
  const exempt = token({ id: "breakGlass000000000001", last_used_at: daysFromNow(-300) });
  const oldest = token({ id: "oldest0000000000000001", last_used_at: daysFromNow(-400) });
  const old = token({ id: "old0000000000000000001", last_used_at: daysFromNow(-120) });
  const fresh = token({ id: "fresh00000000000000001", last_used_at: daysFromNow(-3) });

  it("never selects the Worker's own token or an exempt one, and says why", () => {
    const s = selectStale([own, exempt, oldest, old, fresh], NOW, { ...policy, exemptTokenIds: [exempt.id!] }, own.id!);
    expect(s.candidates.map((t) => t.id)).toEqual([oldest.id, old.id]);
    expect(s.protected).toEqual([
      { token: exempt, reason: "exempt" },
      { token: own, reason: "own_token" },
    ]);
    expect(s.deferred).toEqual([]);
  });

  it("takes the longest-unused first and defers the rest beyond the per-run cap", () => {
    const s = selectStale([old, fresh, oldest, exempt], NOW, { ...policy, maxRevocations: 2 }, null);
    expect(s.candidates.map((t) => t.id)).toEqual([oldest.id, exempt.id]);
    expect(s.deferred.map((t) => t.id)).toEqual([old.id]);
  });
});
