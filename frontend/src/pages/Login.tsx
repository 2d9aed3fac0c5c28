import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import { store } from '../lib/state';
import { Field, FormError, PageHeader, fieldError } from '../components/ui';
import { useSubmit } from '../components/form';

export function Login() {
  const loc = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit(async () => {
    await store.signIn(email.trim(), password);
    if (loc.path === '/login') loc.route('/', true);
  });
  const { busy, error } = form;
  // The API says which field is missing; wrong credentials and rate limits are form-level.
  const formLevel = error instanceof ApiError && Object.keys(error.fields).length > 0 ? null : error;
  return (
    <section class="login">
      <PageHeader title={t('login.title')} />
      <p class="lead">{t('login.lead')}</p>
      <form onSubmit={form.submit} noValidate class="card form">
        <Field
          id="email"
          label={t('login.email')}
          type="email"
          autoComplete="username"
          value={email}
          onValue={setEmail}
          error={fieldError(error, 'email')}
          required
        />
        <Field
          id="password"
          label={t('login.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          error={fieldError(error, 'password')}
          required
        />
        <FormError error={formLevel} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
      <p class="aside">
        {t('login.verifyHint')} <a href="/verify">{t('nav.verify')}</a>
      </p>
    </section>
  );
}
