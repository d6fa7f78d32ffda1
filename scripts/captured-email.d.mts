// Types for scripts/captured-email.mjs, so the TypeScript local-dev test can read a captured e-mail.
export interface CapturedEmail {
  path: string;
  mtimeMs: number;
  text: string;
}
export declare function findCapturedEmail(marker: string, sinceMs: number, root?: string): CapturedEmail | undefined;
