import type { SlackCall, SlackMessage, SlackUser } from "../../emulator/slack";
import { emulatorUrl } from "./emulator";

export type { SlackCall, SlackMessage, SlackUser };

/** An isolated Slack Web API stand-in on the emulator (users.lookupByEmail, chat.postMessage), with its bot token. */
export interface SlackApi {
  baseUrl: string;
  botToken: string;
  addUser(user: { email: string; id?: string; name?: string }): Promise<SlackUser>;
  /** The next `count` calls to `method` answer HTTP `status` (429 carries Retry-After), or ok:false with `error`. */
  fail(method: string, fault: { status?: number; error?: string; count?: number }): Promise<void>;
  messages(): Promise<SlackMessage[]>;
  calls(): Promise<SlackCall[]>;
}

export async function newSlackApi(): Promise<SlackApi> {
  const { baseUrl, botToken } = (await (await fetch(`${emulatorUrl()}/__emulator/slack`, { method: "POST" })).json()) as { baseUrl: string; botToken: string };
  const control = `${baseUrl.replace(/\/api$/, "")}/__control`;
  const post = async (path: string, body: unknown) => fetch(`${control}/${path}`, { method: "POST", body: JSON.stringify(body) });
  return {
    baseUrl,
    botToken,
    addUser: async (user) => (await (await post("users", user)).json()) as SlackUser,
    fail: async (method, fault) => {
      await (await post("faults", { method, count: 1, ...fault })).body?.cancel();
    },
    messages: async () => (await (await fetch(`${control}/messages`)).json()) as SlackMessage[],
    calls: async () => (await (await fetch(`${control}/calls`)).json()) as SlackCall[],
  };
}
