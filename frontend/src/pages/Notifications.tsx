import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { lang, t } from '../i18n';
import { ok, type Schemas } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { store } from '../lib/state';
import { Empty, ErrorNote, FormError, Loading, OkNote, PageHeader, SubmitButton, useLoad } from '../components/ui';
import { useSubmit } from '../components/form';

type Notification = Schemas['Notification'];
type Preferences = Schemas['Preferences'];
type EmailKey = keyof Preferences['email'];

/** The e-mail categories, in the order the form lists them; the last two come with reminders and digests. */
const EMAIL_KEYS: EmailKey[] = ['rejections', 'comments', 'reminders', 'digest'];

/** Sets the unread count the header shows (it came with the session). */
function setUnread(n: number) {
  const me = store.session.value;
  if (me && me.unread_notifications !== n) store.session.value = { ...me, unread_notifications: n };
}

/**
 * What happened that concerns the user — a rejection, a comment or mention, a slot to sign, an
 * extension — newest first, each leading to where it happened; and how they want to hear of it.
 */
export default function Notifications() {
  const loc = useLocation();
  const list = useLoad(() => ok(store.api.GET('/api/v1/me/notifications', { params: { query: { limit: 100 } } })), []);
  const items = list.data;
  useEffect(() => {
    if (items) setUnread(items.filter((n) => !n.read).length);
  }, [items]);
  const markRead = async (ids: number[]) => {
    if (!ids.length) return;
    const r = await ok(store.api.POST('/api/v1/me/notifications/read', { body: { ids } }));
    list.set((items ?? []).map((n) => (ids.includes(n.id) ? { ...n, read: true } : n)));
    setUnread(r.unread);
  };
  const all = useSubmit(() => markRead((items ?? []).filter((n) => !n.read).map((n) => n.id)));
  const open = async (n: Notification, e: Event) => {
    e.preventDefault();
    if (!n.read) await markRead([n.id]).catch(() => undefined); // going there matters more than the mark
    loc.route(n.link);
  };
  const unread = (items ?? []).filter((n) => !n.read).length;
  const l = lang.value;
  return (
    <>
      <PageHeader title={t('notif.title')}>
        {unread ? (
          <button type="button" disabled={all.busy} onClick={() => all.run()}>
            {t('notif.markAll')}
          </button>
        ) : null}
      </PageHeader>
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {all.error ? <FormError error={all.error} /> : null}
      {!items && !list.error ? <Loading /> : null}
      {items && !items.length ? <Empty>{t('notif.none')}</Empty> : null}
      {items?.length ? (
        <ol class="notifications" data-testid="notifications">
          {items.map((n) => (
            <li key={n.id} class={n.read ? 'read' : 'unread'} data-kind={n.kind}>
              <a href={n.link} onClick={(e) => open(n, e)}>
                {n.read ? null : <span class="visually-hidden">{t('notif.unread')}: </span>}
                {n.title}
              </a>
              <time dateTime={n.created_at}>{fmtDateTime(n.created_at, l)}</time>
            </li>
          ))}
        </ol>
      ) : null}
      <PreferencesForm />
    </>
  );
}

/** The language of notifications and e-mails, and which e-mails to get. */
function PreferencesForm() {
  const loaded = useLoad(() => ok(store.api.GET('/api/v1/me/preferences')), []);
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  useEffect(() => {
    if (loaded.data) setPrefs(loaded.data);
  }, [loaded.data]);
  const form = useSubmit(() => ok(store.api.PUT('/api/v1/me/preferences', { body: prefs! })), { onDone: setPrefs });
  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!prefs) return <Loading />;
  return (
    <form class="card form preferences" noValidate onSubmit={form.submit} aria-labelledby="prefs-h">
      <h2 id="prefs-h">{t('notif.prefs')}</h2>
      <fieldset class="choice">
        <legend>{t('notif.language')}</legend>
        {(['id', 'en'] as const).map((x) => (
          <label key={x}>
            <input type="radio" name="pref-lang" checked={prefs.language === x} onChange={() => setPrefs({ ...prefs, language: x })} /> {x === 'id' ? 'Bahasa Indonesia' : 'English'}
          </label>
        ))}
      </fieldset>
      <fieldset class="choice stacked">
        <legend>{t('notif.email')}</legend>
        {EMAIL_KEYS.map((k) => (
          <label key={k} class="check">
            <input type="checkbox" checked={prefs.email[k]} onChange={(e) => setPrefs({ ...prefs, email: { ...prefs.email, [k]: (e.currentTarget as HTMLInputElement).checked } })} />{' '}
            {t(`notif.email.${k}`)}
          </label>
        ))}
      </fieldset>
      <p class="hint">{t('notif.emailHint')}</p>
      {form.error ? <FormError error={form.error} /> : null}
      <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
      {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
    </form>
  );
}
