// One configuration module: a zod/mini schema per section (one file each), composed here. `Config` and every
// section's type are inferred from the schemas. src/services.ts parses once per isolate (per env object).
import type * as z from "zod/mini";
import type { Env } from "../env";
import { apiSection } from "./api";
import { chatPolicySection, discordSection, mattermostSection, slackSection } from "./chat";
import { dashboardSection, withSealSecret } from "./dashboard";
import { ConfigError, parseSection } from "./fields";
import { digestChannels, hygieneSection } from "./hygiene";
import { leaksSection } from "./leaks";
import { notifySection } from "./notify";
import { ownerSection } from "./owner";
import { log } from "../log";

export { API_KEY_SCOPES, type ApiKey, type ApiKeyScope } from "./api";
export type { ChatConfig } from "./chat";
export type { DashboardSettings } from "./dashboard";
export { ConfigError } from "./fields";
export { type HygieneSettings, STALE_MAX_REVOCATIONS_LIMIT, STALE_POLICY_MODES, type StalePolicyMode } from "./hygiene";
export type { NotifyConfig } from "./notify";
export type { OwnerNoticeConfig } from "./owner";

function parseCore(env: Env) {
  return {
    ...parseSection(apiSection, env),
    ...parseSection(leaksSection, env),
    ...parseSection(notifySection, env),
    ...parseSection(ownerSection, env),
  };
}
/** What every route needs: a bad setting here fails every route, /health included. */
export type CoreConfig = ReturnType<typeof parseCore>;

/**
 * The optional surfaces (each chat platform; `chat`, the allow-lists all three read; the schedule; the dashboard).
 * A bad setting disables only its surface: reading any of that surface's fields throws the
 * ConfigError, which the surface answers as "Worker misconfigured" (naming the setting, never its value), so no
 * code ever runs on a default in place of a broken setting.
 */
const surfaces = {
  slack: (env: Env) => parseSection(slackSection, env),
  discord: (env: Env) => parseSection(discordSection, env),
  mattermost: (env: Env) => parseSection(mattermostSection, env),
  chat: (env: Env) => parseSection(chatPolicySection, env),
  hygiene: (env: Env, core: CoreConfig) => {
    const own = parseSection(hygieneSection, env);
    return { hygiene: { ...own, channels: digestChannels(own.channels, core.notify) } };
  },
  dashboard: (env: Env, core: CoreConfig) => ({ dashboard: withSealSecret(parseSection(dashboardSection, env), core.leak.sealSecret) }),
};
type Surfaces = typeof surfaces;
export type SurfaceName = keyof Surfaces;

export type Config = CoreConfig &
  ReturnType<Surfaces["slack"]> &
  ReturnType<Surfaces["discord"]> &
  ReturnType<Surfaces["mattermost"]> &
  ReturnType<Surfaces["chat"]> &
  ReturnType<Surfaces["hygiene"]> &
  ReturnType<Surfaces["dashboard"]>;

/** Every setting `Env` declares is read by some section (and the `EnvShape` of each section rejects unknown names). */
type Read = keyof (z.input<typeof apiSection> & z.input<typeof leaksSection> & z.input<typeof notifySection> & z.input<typeof ownerSection> &
  z.input<typeof slackSection> & z.input<typeof discordSection> & z.input<typeof mattermostSection> & z.input<typeof chatPolicySection> & z.input<typeof hygieneSection> & z.input<typeof dashboardSection>);
type Unread = Exclude<{ [K in keyof Env]-?: Env[K] extends string | undefined ? K : never }[keyof Env], Read>;
const everySettingRead: [Unread] extends [never] ? true : Unread = true;
void everySettingRead;

/**
 * Parses `env` into a typed {@link Config}. Throws a ConfigError for a bad core setting; a bad optional setting
 * is logged here (once per parse, that is once per isolate) and disables only its surface.
 */
export function loadConfig(env: Env): Config {
  const core = parseCore(env);
  const config: Record<string, unknown> = { ...core };
  for (const [surface, parse] of Object.entries(surfaces) as [SurfaceName, (env: Env, core: CoreConfig) => object][]) {
    let section: object;
    try {
      section = parse(env, core);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      log.error("config_surface_disabled", { surface, setting: err.setting, message: err.message });
      for (const field of SURFACE_FIELDS[surface]) {
        Object.defineProperty(config, field, { enumerable: false, get: () => { throw err; } });
      }
      continue;
    }
    Object.assign(config, section);
  }
  return config as Config;
}

/** The top-level fields each surface owns; the type makes a name the surface lacks a build error. */
const SURFACE_FIELDS: { [K in SurfaceName]: readonly (keyof ReturnType<Surfaces[K]>)[] } = {
  slack: ["slack"],
  discord: ["discord"],
  mattermost: ["mattermost"],
  chat: ["chatPolicy"],
  hygiene: ["hygiene"],
  dashboard: ["dashboard"],
};
