// zod/mini, like src/config.ts: the same validation with a functional API, and a much smaller bundle.
import * as z from "zod/mini";

// The setting shapes of src/config.ts (which keeps its helpers private): strings from `env`, parsed once per
// isolate, with messages that name the expected form and never echo a value that might be a secret.

const fail = (ctx: { issues: unknown[] }, message: string) => {
  ctx.issues.push({ code: "custom", message, input: "" });
  return z.NEVER;
};

export const boolSetting = (fallback: boolean) =>
  z.pipe(
    z.optional(z.enum(["true", "false", "1", "0", "yes", "no"], { message: 'expected "true" or "false"' })),
    z.transform((v) => (v === undefined ? fallback : v === "true" || v === "1" || v === "yes")),
  );

export const intSetting = (fallback: number, min: number, max: number) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) return fail(ctx, `expected a whole number from ${min} to ${max}`);
      return n;
    }),
  );

/** Words separated by spaces or commas; empty or absent is an empty list. */
export const wordsSetting = z.pipe(
  z.optional(z.string()),
  z.transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : [])),
);

/** An http(s) URL, or absent. An empty string counts as absent, so a blanked-out var disables the channel. */
export const urlSetting = z.pipe(
  z.optional(z.string()),
  z.transform((v, ctx): string | undefined => {
    if (v === undefined || v.trim() === "") return undefined;
    let url: URL;
    try {
      url = new URL(v.trim());
    } catch {
      return fail(ctx, "expected an http(s) URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return fail(ctx, "expected an http(s) URL");
    return url.toString();
  }),
);

/** A secret, or absent; empty counts as absent. */
export const secretSetting = (minLength: number) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx): string | undefined => {
      if (v === undefined || v === "") return undefined;
      if (v.length < minLength) return fail(ctx, `must be at least ${minLength} characters`);
      return v;
    }),
  );

/** A JSON setting checked by `valid`; the message says what was expected, never what was given. */
export const jsonTextSetting = (valid: (parsed: unknown) => boolean, expected: string) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx): string | undefined => {
      if (!v?.trim()) return undefined;
      try {
        if (valid(JSON.parse(v))) return v;
      } catch {
        // reported below
      }
      return fail(ctx, `expected ${expected}`);
    }),
  );

/** The first issue of a failed parse as "Setting NAME is invalid: message", for a ConfigError. */
export function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return `Setting ${String(issue?.path[0] ?? "?")} is invalid: ${issue?.message ?? "invalid"}`;
}
