// Settings › Signatories: import a signatory's own PKCS#12 certificate and key (for a
// certificate from a national CA instead of the installation's own).
import { useState } from 'preact/hooks';
import { lang, t } from '../../i18n';
import { ok, multipart } from '../../lib/api';
import { fmtDate } from '../../lib/format';
import { store } from '../../lib/state';
import type { User } from '../../lib/types';
import { Empty, ErrorNote, FormError, Loading, SubmitButton, fieldError, useLoad } from '../../components/ui';
import { FieldMessage, invalid, namesAny, useSubmit } from '../../components/form';

export default function Signatories() {
  const users = useLoad(() => ok(store.api.GET('/api/v1/users')), []);
  const signatories = (users.data ?? []).filter((u) => u.role === 'signatory');
  return (
    <>
      <p class="lead">{t('admin.sig.lead')}</p>
      {users.error ? <ErrorNote error={users.error} onRetry={users.reload} /> : null}
      {!users.data && !users.error ? <Loading /> : null}
      {users.data && signatories.length === 0 ? <Empty>{t('admin.sig.none')}</Empty> : null}
      <ul class="sig-list">
        {signatories.map((u) => (
          <li key={u.id}>
            <KeyImport user={u} />
          </li>
        ))}
      </ul>
    </>
  );
}

const KEY_FIELDS = ['file', 'password', 'passphrase'] as const;

function KeyImport({ user }: { user: User }) {
  const idp = `sig-${user.id}`;
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const l = lang.value;
  const form = useSubmit(
    async () => {
      if (!file) invalid({ file: t('evidence.chooseFile') });
      const key = await ok(
        store.api.POST('/api/v1/users/{id}/signing-key', { params: { path: { id: user.id } }, body: { password, passphrase, file }, bodySerializer: multipart }),
      );
      setPassword('');
      setPassphrase('');
      return key;
    },
    { focus: { fields: KEY_FIELDS, id: (f) => `${idp}-${f}` } },
  );
  const err = (f: (typeof KEY_FIELDS)[number]) => fieldError(form.error, f);
  const described = (name: (typeof KEY_FIELDS)[number], hint = false) => [hint ? `${idp}-${name}-hint` : '', err(name) ? `${idp}-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const key = form.result;
  return (
    <form class="card form" noValidate aria-labelledby={`${idp}-h`} onSubmit={form.submit}>
      <h2 id={`${idp}-h`}>{t('admin.sig.import', { name: user.name })}</h2>
      <p class="hint sig-email">{user.email}</p>
      <div class={`field${err('file') ? ' has-error' : ''}`}>
        <label for={`${idp}-file`}>{t('admin.sig.file')}</label>
        <input
          id={`${idp}-file`}
          type="file"
          accept=".p12,.pfx,application/x-pkcs12"
          onChange={(e) => {
            setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
            form.reset();
          }}
          aria-invalid={err('file') ? 'true' : undefined}
          aria-describedby={described('file')}
        />
        <FieldMessage id={`${idp}-file-error`} error={err('file')} />
      </div>
      <div class={`field${err('password') ? ' has-error' : ''}`}>
        <label for={`${idp}-password`}>{t('admin.sig.password')}</label>
        <input id={`${idp}-password`} type="password" autoComplete="off" value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} aria-invalid={err('password') ? 'true' : undefined} aria-describedby={described('password')} />
        <FieldMessage id={`${idp}-password-error`} error={err('password')} />
      </div>
      <div class={`field${err('passphrase') ? ' has-error' : ''}`}>
        <label for={`${idp}-passphrase`}>{t('admin.sig.passphrase')}</label>
        <input id={`${idp}-passphrase`} type="password" autoComplete="new-password" value={passphrase} onInput={(e) => setPassphrase((e.currentTarget as HTMLInputElement).value)} aria-invalid={err('passphrase') ? 'true' : undefined} aria-describedby={described('passphrase', true)} />
        <small id={`${idp}-passphrase-hint`} class="hint">
          {t('admin.sig.passphraseHint')}
        </small>
        <FieldMessage id={`${idp}-passphrase-error`} error={err('passphrase')} />
      </div>
      {form.error && !namesAny(form.error, KEY_FIELDS) ? <FormError error={form.error} /> : null}
      <SubmitButton busy={form.busy}>{t('admin.sig.submit')}</SubmitButton>
      {key ? (
        <p class="ok cert" role="status">
          {t('admin.sig.done', { subject: key.subject ?? '—', date: fmtDate(key.not_after, l), fp: key.fingerprint })}
        </p>
      ) : null}
    </form>
  );
}
