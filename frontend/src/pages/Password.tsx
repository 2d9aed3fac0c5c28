import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { ApiError, ok } from '../lib/api';
import { MIN_PASSWORD, passwordProblems, type PasswordForm } from '../lib/account';
import { store } from '../lib/state';
import { Field, FormError, PageHeader, fieldError, SubmitButton } from '../components/ui';
import { invalid, useSubmit } from '../components/form';

const FIELDS = ['old_password', 'new_password', 'confirm'] as const;
const blank: PasswordForm = { old_password: '', new_password: '', confirm: '' };

/** Change password (PUT /api/v1/me/password), for everyone signed in. */
export default function Password() {
  const [f, setF] = useState<PasswordForm>(blank);
  const [show, setShow] = useState(false);
  const set = (k: keyof PasswordForm) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  // After a refusal, the first field in error takes the focus (its message is tied to it).
  const form = useSubmit(
    async () => {
      const problems = passwordProblems(f);
      if (Object.keys(problems).length) invalid(problems);
      await ok(store.api.PUT('/api/v1/me/password', { body: { old_password: f.old_password, new_password: f.new_password } }));
      setF(blank);
    },
    { focus: { fields: FIELDS, id: (k) => `pw-${k}` } },
  );
  const error = form.error;
  const type = show ? 'text' : 'password';
  const formLevel = error instanceof ApiError && FIELDS.some((k) => error.field(k)) ? null : error;
  return (
    <section class="narrow">
      <PageHeader title={t('password.title')} />
      <p class="lead">{t('password.lead')}</p>
      <form class="card form" onSubmit={form.submit} noValidate data-testid="password-form">
        {/* the account's e-mail lets password managers file the new password under it */}
        <input type="email" class="visually-hidden" autoComplete="username" value={store.session.value?.email ?? ''} readOnly tabIndex={-1} aria-hidden="true" />
        <Field id="pw-old_password" label={t('password.old')} type={type} autoComplete="current-password" value={f.old_password} onValue={set('old_password')} error={fieldError(error, 'old_password')} required />
        <Field
          id="pw-new_password"
          label={t('password.new')}
          type={type}
          autoComplete="new-password"
          value={f.new_password}
          onValue={set('new_password')}
          error={fieldError(error, 'new_password')}
          hint={t('password.newHint', { n: MIN_PASSWORD })}
          required
        />
        <Field id="pw-confirm" label={t('password.confirm')} type={type} autoComplete="new-password" value={f.confirm} onValue={set('confirm')} error={fieldError(error, 'confirm')} required />
        <label class="check">
          <input type="checkbox" checked={show} onChange={(e) => setShow((e.currentTarget as HTMLInputElement).checked)} />
          <span>{t('password.show')}</span>
        </label>
        <FormError error={formLevel} />
        <SubmitButton busy={form.busy}>{t('password.submit')}</SubmitButton>
        {form.done ? (
          <p class="ok" role="status">
            {t('password.done')}
          </p>
        ) : null}
      </form>
    </section>
  );
}
