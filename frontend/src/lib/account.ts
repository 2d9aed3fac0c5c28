// The password change form's own checks, before it asks the API (which checks again).
import { t } from '../i18n';

/** The API's minimum (models.MinPasswordLength). */
export const MIN_PASSWORD = 10;

export interface PasswordForm {
  old_password: string;
  new_password: string;
  confirm: string;
}

/** Field messages for what is wrong with the form; empty when it may be sent. */
export function passwordProblems(f: PasswordForm): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.old_password === '') out.old_password = t('form.required');
  if ([...f.new_password].length < MIN_PASSWORD) out.new_password = t('password.tooShort', { n: MIN_PASSWORD });
  else if (f.new_password === f.old_password) out.new_password = t('password.same');
  if (f.confirm !== f.new_password) out.confirm = t('password.mismatch');
  return out;
}
