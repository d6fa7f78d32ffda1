/** The two GitHub REST calls the leak workflow makes about a secret-scanning alert. Fetch-native, no globals. */
export interface SecretScanningAlert {
  number: number;
  state: string;
  secret_type: string;
  secret?: string;
  html_url?: string;
  resolution?: string | null;
  /** When GitHub first found the secret: the start of time-to-revoke. */
  created_at?: string;
}

export class GitHubApiError extends Error {
  override readonly name = "GitHubApiError";
  constructor(
    readonly status: number,
    readonly operation: string,
  ) {
    super(`GitHub ${operation} failed with ${status || "a network error"}`);
  }
  /** Network errors, 429 and 5xx may succeed later. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export class GitHubAlertsClient {
  constructor(
    private readonly opts: { baseUrl: string; token: string; userAgent: string; fetch?: typeof fetch; timeoutMs?: number },
  ) {}

  /** GET /repos/{owner}/{repo}/secret-scanning/alerts/{n}: the REST alert carries the secret; the webhook does not. */
  getAlert(repository: string, alertNumber: number): Promise<SecretScanningAlert> {
    return this.call("getAlert", "GET", repository, alertNumber);
  }

  /** PATCH the alert to resolved/revoked with a comment that names the token by id and name, never by value. */
  resolveAlert(repository: string, alertNumber: number, comment: string): Promise<SecretScanningAlert> {
    return this.call("resolveAlert", "PATCH", repository, alertNumber, {
      state: "resolved",
      resolution: "revoked",
      resolution_comment: comment.slice(0, 270),
    });
  }

  private async call(operation: string, method: string, repository: string, n: number, body?: unknown): Promise<SecretScanningAlert> {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository) || !Number.isInteger(n) || n < 1) throw new GitHubApiError(400, operation);
    const url = `${this.opts.baseUrl.replace(/\/$/, "")}/repos/${repository}/secret-scanning/alerts/${n}`;
    const fetchFn = this.opts.fetch ?? ((i: RequestInfo, init?: RequestInit) => fetch(i, init));
    let res: Response;
    try {
      res = await fetchFn(url, {
        method,
        headers: {
          Accept: "application/vnd.github+json",
          Authorization: `Bearer ${this.opts.token}`,
          "User-Agent": this.opts.userAgent,
          "X-GitHub-Api-Version": "2022-11-28",
          ...(body ? { "Content-Type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch {
      throw new GitHubApiError(0, operation);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new GitHubApiError(res.status, operation);
    }
    return (await res.json()) as SecretScanningAlert;
  }
}
