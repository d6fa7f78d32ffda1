/**
 * The Worker's own code under workerd with every binding and upstream answered from a recording (./fakes.ts), so the
 * workerd process's CPU is the Worker's and not the local runtime's storage simulation. `POST /__replay` with
 * `{vars, script, steps, times}` replays the steps `times` times in this isolate; bench/storage.mjs reads the
 * process's CPU around two such requests (with `times` and with 0) and divides the difference by `times`.
 * Bench-only: never deployed.
 */
import worker from "../../src/index";
import { Harness, type Script, type Step, type WorkerHandlers } from "./fakes";

interface ReplayRequest {
  vars: Record<string, string>;
  script: Script;
  steps: Step[];
  times: number;
  warmup: number;
}

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return Response.json({ ok: true });
    const input = (await request.json()) as ReplayRequest;
    const harness = new Harness(worker as unknown as WorkerHandlers, input.vars, input.script);
    harness.freeze();
    await harness.replay(input.steps, input.warmup);
    await harness.replay(input.steps, input.times);
    // One more, to answer what the last step did and spent.
    harness.rewind();
    let last: Awaited<ReturnType<Harness["run"]>> | undefined;
    for (const step of input.steps) last = await harness.run(step);
    return Response.json(last);
  },
};
