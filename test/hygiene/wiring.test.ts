import { createScheduledController } from "cloudflare:test";
import { expect, it } from "vitest";
import worker from "../../src/index";
import { callWorker, newSink, newTenant, testEnv } from "../helpers";

it("runs the hygiene digest from the Worker's scheduled handler", async () => {
  const sink = newSink("wired-digest");
  const env = await testEnv(await newTenant(), { NOTIFY_SLACK_WEBHOOK_URL: sink.url });
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "0 8 * * *" }), env);
  const received = await sink.received();
  expect(received).toHaveLength(1);
  expect(JSON.parse(received[0]!.body).text).toMatch(/^Fastly token hygiene: /);
});

it("serves the dashboard at /dashboard, behind its login page", async () => {
  const env = await testEnv(await newTenant());
  const res = await callWorker(env, "/dashboard");
  expect(res.status).toBe(401);
  expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  expect(await res.text()).toContain('action="/dashboard/login"');
});
