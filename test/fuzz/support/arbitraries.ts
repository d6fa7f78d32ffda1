// fast-check arbitraries for hostile HTTP input: methods, headers, content types, bodies and signatures.
// They aim at the places parsers break: wrong JSON types inside plausible envelopes, form bodies, binary, bodies
// over the size limit, deep nesting and invalid UTF-8.
import fc from "fast-check";
import { concatBytes, utf8 } from "../../../src/crypto/bytes";
import { demo } from "../../helpers";

/** A request the fuzzer sends: the body is bytes so invalid UTF-8 reaches the Worker as such. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body?: Uint8Array;
}

// Methods a client can send. CONNECT, TRACE and TRACK are refused by the Request constructor itself.
export const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND", "QUERY", "post", "delete", "patch");

const HEADER_VALUE = /^[\t\x20-\x7e]{0,80}$/;
/** Any header value a client can send (ASCII; Headers refuses CR, LF and NUL). */
export const headerValue = fc.oneof(
  fc.stringMatching(HEADER_VALUE),
  fc.constantFrom("", " ", "null", "undefined", "0", "-1", "true", "[]", "{}", "%00", "\t"),
);

export const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=ISO-8859-1",
    "application/vnd.api+json; ext=bulk",
    "application/vnd.api+json",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    ";",
    "",
  ),
  headerValue,
);

const hex = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${min},${max}}$`));
const b64 = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => btoa(String.fromCharCode(...b)));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Timestamps around every window edge, plus non-numbers. */
export const timestamp = fc.oneof(
  fc.integer({ min: -400, max: 400 }).map((d) => String(nowSeconds() + d)),
  fc.constantFrom("", "abc", "1e9", "0x10", "-1", "99999999999999999999", "1.5", " 1 ", String(nowSeconds() * 1000)),
  headerValue,
);

/** Values shaped like each signature scheme's header, but never a valid signature. */
export const signatureValue = fc.oneof(
  hex(64, 64).map((h) => `sha256=${h}`),
  hex(0, 70).map((h) => `sha256=${h}`),
  hex(40, 40).map((h) => `sha1=${h}`),
  b64(32).map((s) => `v1,${s}`),
  fc.array(b64(32).map((s) => `v1,${s}`), { minLength: 2, maxLength: 4 }).map((a) => a.join(" ")),
  b64(32).map((s) => `v1a,${s}`),
  hex(64, 64).map((h) => `v0=${h}`),
  hex(0, 130),
  b64(72),
  fc.uint8Array({ maxLength: 80 }).map((b) => btoa(String.fromCharCode(0x30, b.length, ...b))),
  headerValue,
);

/** Every header a route reads, any of which the fuzzer may send (with a plausible or a random value). */
const HEADER_NAMES = {
  "Fastly-Key": headerValue,
  "Fastly-OTP": headerValue,
  Authorization: fc.oneof(headerValue.map((v) => `Token ${v}`), headerValue.map((v) => `Basic ${v}`), headerValue),
  "X-Hub-Signature-256": signatureValue,
  "X-GitHub-Event": fc.constantFrom("ping", "secret_scanning_alert", "push", "", "secret_scanning_alert_location"),
  "X-GitHub-Delivery": fc.oneof(fc.uuid(), headerValue),
  "webhook-id": fc.oneof(fc.uuid().map((u) => `msg_${u}`), headerValue),
  "webhook-timestamp": timestamp,
  "webhook-signature": signatureValue,
  "X-Slack-Signature": signatureValue,
  "X-Slack-Request-Timestamp": timestamp,
  "X-Signature-Ed25519": signatureValue,
  "X-Signature-Timestamp": timestamp,
  "Github-Public-Key-Identifier": fc.oneof(hex(64, 64), headerValue, fc.constant("k".repeat(300))),
  "Github-Public-Key-Signature": signatureValue,
  "Gitlab-Public-Key-Identifier": fc.oneof(hex(64, 64), headerValue),
  "Gitlab-Public-Key-Signature": signatureValue,
  Accept: fc.constantFrom("application/json", "*/*", "text/html"),
  "X-Forwarded-For": fc.ipV4(),
} as const;

export type HeaderName = keyof typeof HEADER_NAMES;

/** A random subset of `names` (each with a random value), plus a random extra header now and then. */
export function headers(names: HeaderName[]): fc.Arbitrary<[string, string][]> {
  const picked = fc.subarray(names).chain((chosen) =>
    chosen.length === 0 ? fc.constant([] as [string, string][]) : fc.tuple(...chosen.map((n) => HEADER_NAMES[n].map((v) => [n, v] as [string, string]))),
  );
  const extra = fc.option(fc.tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/), headerValue), { freq: 4 });
  return fc.tuple(picked, extra, fc.option(contentType, { freq: 5 })).map(([list, more, type]) => [
    ...list,
    ...(more ? [more] : []),
    ...(type !== null ? [["Content-Type", type] as [string, string]] : []),
  ]);
}

// ---- bodies ---------------------------------------------------------------------------------------------

const DROP = Symbol("drop");

/** The wrong-type twin of a JSON value: a string where a number belongs, an object where a string belongs… */
const wrongType = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, "", "x", [], {}, [null], { "": null }),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * Values shaped like `template`: each field kept (recursively mutated), dropped, or replaced by a value of another
 * type; arrays keep their element shape but vary in length; extra fields appear now and then. `keep` weighs keeping
 * a field against breaking it (2 of 2+keep): a high value gives mostly valid payloads that reach deeper code.
 */
export function shaped(template: unknown, keep = 6, depth = 0): fc.Arbitrary<unknown> {
  if (Array.isArray(template)) {
    const element = template.length ? shaped(template[0], keep, depth + 1) : fc.jsonValue({ maxDepth: 2 });
    return fc.oneof({ weight: keep, arbitrary: fc.array(element, { minLength: template.length ? 1 : 0, maxLength: 4 }) }, { weight: 1, arbitrary: wrongType });
  }
  if (template !== null && typeof template === "object") {
    const entries = Object.entries(template);
    const fields = entries.map(([, v]) =>
      fc.oneof({ weight: keep, arbitrary: shaped(v, keep, depth + 1) }, { weight: 1, arbitrary: fc.constant(DROP) }, { weight: 1, arbitrary: wrongType }),
    );
    const extra = fc.option(fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })), { freq: 5 });
    const whole = fc.tuple(fc.tuple(...fields), extra).map(([values, more]) => {
      const out: Record<string, unknown> = {};
      entries.forEach(([k], i) => {
        if (values[i] !== DROP) out[k] = values[i];
      });
      if (more) out[more[0]] = more[1];
      return out;
    });
    return depth === 0 ? whole : fc.oneof({ weight: keep, arbitrary: whole }, { weight: 1, arbitrary: wrongType });
  }
  return fc.oneof({ weight: keep, arbitrary: fc.constant(template) }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) });
}

/** Strings a token-shaped field may hold: real-looking token values (not live), seeded ids, junk. */
export const tokenish = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{32}$/),
  fc.constantFrom(...Object.values(demo.tokens).map((t) => t.id)),
  fc.string({ maxLength: 40 }),
);

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, truncated sequences, 0xFE/0xFF. */
const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xc3],
  [0xe2, 0x82],
);

/** Text with invalid UTF-8 sequences spliced in, optionally inside a JSON or form envelope. */
const invalidUtf8Body = fc
  .tuple(
    fc.array(fc.oneof(fc.string({ maxLength: 10 }).map(utf8), invalidUtf8.map((b) => new Uint8Array(b))), { minLength: 1, maxLength: 6 }),
    fc.constantFrom(["", ""], ['{"tokens":["', '"]}'], ["text=", "&user_id=U1"], ['[{"token":"', '","type":"fastly_api_token"}]'], ['{"type":1,"x":"', '"}']),
  )
  .map(([middle, [before, after]]) => concatBytes(utf8(before), ...middle, utf8(after)));

/** Nesting deep enough to hurt a recursive parser or validator, alone or inside a plausible envelope. */
const deeplyNested = fc
  .tuple(fc.integer({ min: 50, max: 30_000 }), fc.constantFrom("array", "object", "in-envelope"))
  .map(([depth, kind]) => {
    if (kind === "array") return "[".repeat(depth) + "]".repeat(depth);
    if (kind === "object") return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    return '{"tokens":' + "[".repeat(depth) + '"x"' + "]".repeat(depth) + ',"data":' + "[".repeat(depth) + "]".repeat(depth) + "}";
  })
  .map(utf8);

/** Bodies just under and well over the default 64 KiB limit, some with a declared length that lies. */
const huge = fc
  .tuple(fc.constantFrom(60_000, 65_535, 65_536, 65_537, 100_000, 300_000), fc.constantFrom("json", "form", "raw"))
  .map(([size, kind]) => {
    if (kind === "json") return utf8(`{"tokens":["${"A".repeat(Math.max(0, size - 16))}"]}`);
    if (kind === "form") return utf8(`text=${"a".repeat(size)}&user_id=U1`);
    return new Uint8Array(size).fill(0x7b);
  });

const formKey = fc.constantFrom(
  "text", "user_id", "user_name", "team_id", "channel_id", "command", "response_url", "payload", "ssl_check", "token", "trigger_id",
  "username", "password", "name", "scope", "services[]", "services", "expires_at", "data",
);
const commandText = fc.oneof(
  fc.constantFrom("", "help", "whoami", "list", "list mine --expiring 7", "list customer --stale 90 --scope global", "show", "audit 5", "revoke", "bulk-revoke"),
  fc.tuple(fc.constantFrom("show", "revoke", "bulk-revoke", "list --expiring", "audit"), tokenish).map(([c, t]) => `${c} ${t}`),
  tokenish,
  fc.string({ maxLength: 100 }),
);
/** A form body with known and random fields; values include commands, pasted token-like strings and junk. */
export const formBody = fc
  .array(fc.tuple(fc.oneof(formKey, fc.string({ maxLength: 10 })), fc.oneof(commandText, fc.string({ maxLength: 60 }))), { maxLength: 8 })
  .map((pairs) => new URLSearchParams(pairs).toString());

/** Any body worth sending to a route that expects `templates` (JSON shapes) or a form. */
export function body(templates: unknown[]): fc.Arbitrary<Uint8Array | undefined> {
  const json = (keep: number) =>
    templates.length
      ? fc.oneof(...templates.map((t) => shaped(t, keep))).map((v) => utf8(JSON.stringify(v)))
      : fc.jsonValue({ maxDepth: 4 }).map((v) => utf8(JSON.stringify(v)));
  return fc.oneof(
    { weight: 4, arbitrary: json(6) },
    { weight: 4, arbitrary: json(60) },
    { weight: 3, arbitrary: formBody.map(utf8) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 5 }).map((v) => utf8(JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map(utf8) },
    { weight: 1, arbitrary: invalidUtf8Body },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Builds the Request init for a fuzz case: GET and HEAD cannot carry a body, so theirs is dropped. */
export function requestInit(c: FuzzRequest): RequestInit {
  const h = new Headers();
  for (const [name, value] of c.headers) h.append(name, value);
  const upper = c.method.toUpperCase();
  return { method: c.method, headers: h, body: upper === "GET" || upper === "HEAD" ? undefined : c.body };
}

/** A short description of a case for failure messages (bodies truncated; never large). */
export function describeCase(c: FuzzRequest): string {
  const text = c.body ? new TextDecoder().decode(c.body.subarray(0, 300)) : "";
  return `${c.method} ${c.path} headers=${JSON.stringify(c.headers)} body(${c.body?.length ?? 0})=${JSON.stringify(text)}`;
}

/** Path variants a router must treat alike or refuse cleanly: trailing slash, query strings, doubled slashes. */
export function pathVariants(path: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 16, arbitrary: fc.constant(path) },
    { weight: 1, arbitrary: fc.constant(`${path}/`) },
    { weight: 1, arbitrary: fc.constant(`/${path}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom("dry_run", "force", "limit", "cursor", "x", ""), fc.string({ maxLength: 12 })).map(([k, v]) => `${path}?${k}=${encodeURIComponent(v)}`) },
  );
}

/** A request to one route: mostly its own method, with the headers its sender uses and bodies shaped like its payloads. */
export function routeCase(path: string, names: HeaderName[], bodies: fc.Arbitrary<Uint8Array | undefined>, ownMethod = "POST"): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    method: fc.oneof({ weight: 10, arbitrary: fc.constant(ownMethod) }, { weight: 1, arbitrary: method }),
    path: pathVariants(path),
    headers: headers(names),
    body: bodies,
  });
}
