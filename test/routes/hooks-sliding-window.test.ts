import { describe, expect, it } from "vitest";
import { SlidingWindow } from "../../src/routes/hooks/sliding-window";

describe("SlidingWindow", () => {
  it("admits the limit within a window, refuses the next and says when there will be room", () => {
    const w = new SlidingWindow(3, 60_000);
    expect([w.take(0), w.take(10_000), w.take(20_000)]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(w.take(30_000)).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(w.take(59_500)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it("slides: each event leaves the window a full window after it was admitted", () => {
    const w = new SlidingWindow(2, 60_000);
    w.take(0);
    w.take(30_000);
    expect(w.take(60_000)).toEqual({ ok: true });
    expect(w.take(60_001)).toEqual({ ok: false, retryAfterSeconds: 30 });
    expect(w.take(90_000)).toEqual({ ok: true });
  });

  it("does not count refused events against later ones", () => {
    const w = new SlidingWindow(1, 1_000);
    w.take(0);
    for (let t = 1; t < 1_000; t += 100) expect(w.take(t).ok).toBe(false);
    expect(w.take(1_000)).toEqual({ ok: true });
  });
});
