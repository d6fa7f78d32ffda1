// Types for scripts/captured-email.mjs, so the TypeScript local-dev test can read a captured e-mail.
export interface CapturedEmail {
  path: string;
  mtimeMs: number;
  text: string;
}
export declare function findCapturedEmail(marker: string, sinceMs: number, root?: string): CapturedEmail | undefined;
/** Every captured e-mail text written since `sinceMs`, newest first. */
export declare function capturedEmailsSince(sinceMs: number, root?: string): CapturedEmail[];
