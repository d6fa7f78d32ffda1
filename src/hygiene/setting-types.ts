import { z } from "zod";

// The same setting shapes as src/config.ts (which keeps its helpers private): strings from `env`, parsed once per
// isolate, with messages that name the expected form and never echo a value that might be a secret.

export const boolSetting = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: 'expected "true" or "false"' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true" || v === "1" || v === "yes"));

export const intSetting = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `expected a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** Words separated by spaces or commas; empty or absent is an empty list. */
export const wordsSetting = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : []));

/** An http(s) URL, or absent. An empty string counts as absent, so a blanked-out var disables the channel. */
export const urlSetting = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return undefined;
    let url: URL;
    try {
      url = new URL(v.trim());
    } catch {
      ctx.addIssue({ code: "custom", message: "expected an http(s) URL" });
      return z.NEVER;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: "expected an http(s) URL" });
      return z.NEVER;
    }
    return url.toString();
  });

/** A secret, or absent; empty counts as absent. */
export const secretSetting = (minLength: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      if (v.length < minLength) {
        ctx.addIssue({ code: "custom", message: `must be at least ${minLength} characters` });
        return z.NEVER;
      }
      return v;
    });

/** The first issue of a failed parse as "SETTING: message", for a ConfigError. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `Setting ${String(issue?.path[0] ?? "?")} is invalid: ${issue?.message ?? "invalid"}`;
}
