/** A small fetch wrapper for emulator tests: real loopback HTTP, no client library in between. */
export interface FastlyCall {
  method?: string;
  key?: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded; arrays become repeated keys. */
  form?: Record<string, string | string[]>;
  /** Sent as application/json unless `headers` sets another content type. */
  json?: unknown;
  body?: string;
}

export interface FastlyAnswer<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export function formBody(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

export async function fastly<T = unknown>(baseUrl: string, path: string, call: FastlyCall = {}): Promise<FastlyAnswer<T>> {
  const headers = new Headers(call.headers);
  if (call.key !== undefined) headers.set("Fastly-Key", call.key);
  let body = call.body;
  if (call.form) {
    body = formBody(call.form);
    if (!headers.has("content-type")) headers.set("content-type", "application/x-www-form-urlencoded");
  } else if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const response = await fetch(`${baseUrl}${path}`, { method: call.method ?? "GET", headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, text, body: parsed as T };
}

export interface TokenBody {
  id: string;
  user_id: string;
  customer_id: string;
  name: string;
  last_used_at: string | null;
  created_at: string;
  expires_at: string | null;
  ip: string | null;
  user_agent: string | null;
  sudo_expires_at: string | null;
  scopes: string[];
  scope: string;
  services: string[];
  service_id: string | null;
}

export interface CreatedTokenBody {
  id: string;
  name: string;
  user_id: string;
  customer_id: string;
  service_id: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  scope: string;
  services: string[];
  access_token: string;
}
