import { env as baseEnv } from "cloudflare:workers";

/** What the Worker handed to `OWNER_EMAIL.send`: Email Service's builder form. */
export interface SentEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  replyTo?: string;
}

/**
 * The pool's real local `send_email` binding (from wrangler.toml) with a recorder in front: every message goes on
 * to the real binding, which checks it and captures it the way `wrangler dev` does (logged and written to a file),
 * and the test reads what was sent from `sent`. `failWith` makes the binding reject instead, as a remote one can.
 */
export function recordingEmail(opts: { failWith?: string } = {}): { binding: SendEmail; sent: SentEmail[] } {
  const real = (baseEnv as unknown as { OWNER_EMAIL: SendEmail }).OWNER_EMAIL;
  const sent: SentEmail[] = [];
  const binding = {
    async send(message: SentEmail) {
      sent.push(structuredClone(message));
      if (opts.failWith) throw new Error(opts.failWith);
      return real.send(message);
    },
  };
  return { binding: binding as unknown as SendEmail, sent };
}
