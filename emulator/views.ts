import { isoSeconds, isoSecondsOrNull } from "./clock";
import type { TokenRecord, UserRecord } from "./records";

/** Legacy single-service field: the recordings show the LAST of `services`, or null. */
function serviceId(token: TokenRecord): string | null {
  return token.services.at(-1) ?? null;
}

/** The get/list body, field for field (and in the order) of the recorded `/tokens/self` and list answers. */
export function tokenView(token: TokenRecord) {
  return {
    id: token.id,
    user_id: token.user_id,
    customer_id: token.customer_id,
    name: token.name,
    last_used_at: isoSecondsOrNull(token.last_used_at),
    created_at: isoSeconds(token.created_at),
    expires_at: isoSecondsOrNull(token.expires_at),
    ip: token.ip,
    user_agent: token.user_agent,
    sudo_expires_at: isoSecondsOrNull(token.sudo_expires_at),
    scopes: token.scope.split(" "),
    scope: token.scope,
    services: [...token.services],
    service_id: serviceId(token),
  };
}

/** The create body of the recordings: no usage fields, no `scopes`, but `updated_at` and the one-time `access_token`. */
export function createdTokenView(token: TokenRecord, accessToken: string) {
  return {
    id: token.id,
    name: token.name,
    user_id: token.user_id,
    customer_id: token.customer_id,
    service_id: serviceId(token),
    expires_at: isoSecondsOrNull(token.expires_at),
    created_at: isoSeconds(token.created_at),
    updated_at: isoSeconds(token.updated_at),
    scope: token.scope,
    services: [...token.services],
    access_token: accessToken,
  };
}

/** `GET /__emulator/tokens`: everything the emulator knows, revoked tokens included, never the raw value. */
export function controlTokenView(token: TokenRecord) {
  return {
    ...tokenView(token),
    updated_at: isoSeconds(token.updated_at),
    revoked: token.revoked_at !== null,
    revoked_at: isoSecondsOrNull(token.revoked_at),
    hash: token.hash,
  };
}

/** `GET /current_user`, shaped like Fastly's User resource (secrets never included). */
export function userView(user: UserRecord) {
  return {
    id: user.id,
    login: user.login,
    name: user.name,
    customer_id: user.customer_id,
    role: user.role,
    two_factor_auth_enabled: user.two_factor_auth_enabled,
    two_factor_setup_required: false,
    limit_services: false,
    locked: user.locked,
    require_new_password: false,
    email_hash: null,
    created_at: isoSeconds(user.created_at),
    updated_at: isoSeconds(user.updated_at),
    deleted_at: null,
  };
}
