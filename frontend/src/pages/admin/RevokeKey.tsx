// Settings › Users: the admin revokes a signatory's signing key (its certificates go on the CRL
// and OCSP answers revoked from now on; signatures made and timestamped before stay valid).
import { useState } from 'preact/hooks';
import { t, tOr } from '../../i18n';
import { ok } from '../../lib/api';
import { store } from '../../lib/state';
import type { Schemas } from '../../lib/api';
import type { User } from '../../lib/types';
import { FormError, SubmitButton } from '../../components/ui';
import { useSubmit } from '../../components/form';

type Reason = NonNullable<Schemas['RevokeInput']['reason']>;
const REASONS: Reason[] = ['unspecified', 'key_compromise', 'affiliation_changed', 'superseded', 'cessation_of_operation'];

/** The confirmation panel that revokes one signatory's key, with the reason the CRL records. */
export function RevokeKey({ user, onClose }: { user: User; onClose: () => void }) {
  const [reason, setReason] = useState<Reason>('unspecified');
  const idp = `revoke-${user.id}`;
  const form = useSubmit(() => ok(store.api.POST('/api/v1/users/{id}/signing-key/revoke', { params: { path: { id: user.id } }, body: { reason } })));
  return (
    <form class="form revoke-key" noValidate aria-labelledby={`${idp}-h`} onSubmit={form.submit} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3 id={`${idp}-h`}>{t('revoke.of', { name: user.name })}</h3>
      <p class="hint">{t('revoke.help')}</p>
      <div class="field">
        <label for={`${idp}-reason`}>{t('revoke.reason')}</label>
        <select id={`${idp}-reason`} value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value as Reason)}>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {tOr(`revoke.reason.${r}`, r)}
            </option>
          ))}
        </select>
      </div>
      {form.error ? <FormError error={form.error} /> : null}
      {form.done ? (
        <p class="ok" role="status">
          {t('revoke.done', { name: user.name })}
        </p>
      ) : null}
      <div class="row">
        <SubmitButton busy={form.busy} disabled={form.done}>
          {t('revoke.submit')}
        </SubmitButton>
        <button type="button" onClick={onClose}>
          {t('batch.close')}
        </button>
      </div>
    </form>
  );
}
