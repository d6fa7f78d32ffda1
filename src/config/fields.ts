// zod/mini keeps the Worker bundle small: same validation, functional API. Every setting shape is written here
// once, so every section has the same rules and the same messages. A message names the expected form and never
// echoes the value: a secret pasted into the wrong setting would otherwise reach the log (and once, the caller).
import * as z from "zod/mini";
import type { Env } from "../env";

/**
 * A setting that is missing or malformed. The message ("Setting NAME is invalid: what was expected") is for the
 * log and the operator; it names the setting and never echoes its value. Callers learn `setting` at most.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The setting's name, read from the message every producer writes as "Setting NAME is invalid: …". */
  readonly setting: string = /^Setting ([A-Za-z0-9_]+)\b/.exec(this.message)?.[1] ?? "unknown";
}

type Ctx = { issues: unknown[] };
/** Adds an issue to a setting's own transform; the message says what was expected, never what was given. */
export const fail = (ctx: Ctx, message: string, path?: string[]) => {
  ctx.issues.push({ code: "custom", message, input: "", ...(path ? { path } : {}) });
  return z.NEVER;
};

/** The string a setting holds, or undefined when it is absent or blank (a blanked-out var means "not set"). */
export const text = z.pipe(
  z.optional(z.string()),
  z.transform((v) => (v === undefined || v.trim() === "" ? undefined : v)),
);

export const bool = (fallback: boolean) =>
  z.pipe(
    z.pipe(text, z.optional(z.enum(["true", "false", "1", "0", "yes", "no"], { message: 'expected "true" or "false"' }))),
    z.transform((v) => (v === undefined ? fallback : v === "true" || v === "1" || v === "yes")),
  );

export const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.pipe(
    text,
    z.transform((v, ctx) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) return fail(ctx, `expected a whole number from ${min} to ${max}`);
      return n;
    }),
  );

/** Words separated by spaces or commas; empty or absent is an empty list. */
export const words = z.pipe(
  z.optional(z.string()),
  z.transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : [])),
);
export const wordsOr = (fallback: string[]) => z.pipe(words, z.transform((w) => (w.length ? w : fallback)));
/** Pre-shared tokens, comma- or space-separated so a new one can be added before the old one is removed. */
export const tokenList = (min: number) => z.pipe(words, z.array(z.string().check(z.minLength(min, `each token must be at least ${min} characters`))));

/** The one URL rule: an absolute http(s) URL, kept as written (trimmed); blank counts as absent. */
export const url = z.pipe(
  text,
  z.transform((v, ctx): string | undefined => {
    if (v === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(v.trim());
    } catch {
      return fail(ctx, "expected an http(s) URL");
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return fail(ctx, "expected an http(s) URL");
    return v.trim();
  }),
);
export const urlOr = (fallback: string) => z.pipe(url, z.transform((v) => v ?? fallback));

/** A secret, or absent; blank (empty or only whitespace, as `text` says) counts as absent. The value is kept as given. */
export const secret = (minLength = 1) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx): string | undefined => {
      if (v === undefined || v.trim() === "") return undefined;
      if (v.length < minLength) return fail(ctx, `must be at least ${minLength} characters`);
      return v;
    }),
  );

/** A string matching `pattern`, or absent; the message says what was expected. */
export const matching = (pattern: RegExp, expected: string) =>
  z.pipe(
    text,
    z.transform((v, ctx): string | undefined => (v === undefined || pattern.test(v) ? v : fail(ctx, expected))),
  );

/** A setting holding JSON: parsed, then validated by `schema`; the first issue names its path, never the value. */
export function json<S extends z.ZodMiniType, T>(schema: S, whenEmpty: T, expected: string, finish: (v: z.output<S>) => T) {
  return z.pipe(
    text,
    z.transform((v, ctx): T => {
      if (v === undefined) return whenEmpty;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        return fail(ctx, `must be ${expected}`);
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        const issue = result.error.issues[0];
        // zod quotes an unrecognised key, which is part of the value; the schema's own paths and messages are not.
        const problem = issue?.code === "unrecognized_keys" ? "has a field that is not allowed" : issue?.message;
        return fail(ctx, `${issue?.path.join(".")}: ${problem}`);
      }
      return finish(result.data);
    }),
  );
}

/** Reports a rule that spans settings from a section's final step, naming `setting`. */
export const reject = (ctx: Ctx, setting: string, message: string) => fail(ctx, message, [setting]);

/** The settings a section reads, keyed by their names in `Env`: a misspelt name fails the build. */
export type EnvShape = { [K in keyof Env]?: z.ZodMiniType<unknown, Env[K]> };

/** Parses one section of `env`; a failure is a ConfigError naming the first bad setting. */
export function parseSection<S extends z.ZodMiniType>(schema: S, env: Env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Setting ${String(issue?.path[0] ?? "?")} is invalid: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
