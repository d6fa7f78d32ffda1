/**
 * The confirmation's two buttons, as every platform names them (Slack action_id, the first half of Discord's
 * custom_id, Mattermost's context.action). No ":" in them: Discord's custom_id is `${id}:${value}`.
 */
export const CONFIRM_BUTTON_ID = "revoke_confirm";
export const CANCEL_BUTTON_ID = "revoke_cancel";

export type ConfirmationButtonId = typeof CONFIRM_BUTTON_ID | typeof CANCEL_BUTTON_ID;

/** True for this Worker's confirmation buttons; other features' buttons are not ours to handle. */
export function isConfirmationButton(id: string): id is ConfirmationButtonId {
  return id === CONFIRM_BUTTON_ID || id === CANCEL_BUTTON_ID;
}
