// Settings › Users: create accounts, change a user's name, role and region, deactivate or
// reactivate an account (PATCH /api/v1/users/{id}, with the version the form started from).
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { lang, roleLabel, t } from '../../i18n';
import { ok } from '../../lib/api';
import { fmtDate } from '../../lib/format';
import { store } from '../../lib/state';
import { ROLES, type Role, type User } from '../../lib/types';
import { activePatch, endsSessions, isActive, userPatch } from '../../lib/users';
import { FormError, SubmitButton, fieldError, useLoad, OkNote } from '../../components/ui';
import { FieldMessage, StaleNote, focusSoon, invalid, isStale, namesAny, useSubmit } from '../../components/form';
import { CreateForm, List, useEditorStart } from './shared';
import { RevokeKey } from './RevokeKey';

type Option = { value: string; label: string };
type PanelMode = 'edit' | 'status' | 'revoke';

export default function Users() {
  const users = useLoad(() => ok(store.api.GET('/api/v1/users')), []);
  const regions = useLoad(() => ok(store.api.GET('/api/v1/regions')), []);
  const me = store.session.value;
  const [panel, setPanel] = useState<{ id: number; mode: PanelMode } | null>(null);
  // what the last (de)activation did, read out and kept in the language of the interface
  const [news, setNews] = useState<{ active: boolean; name: string } | null>(null);
  const l = lang.value;
  const regionOptions: Option[] = (regions.data ?? []).map((r) => ({ value: r.code, label: `${r.code} ${r.name}` }));
  const close = () => {
    if (panel) focusSoon(`${panel.mode}-user-${panel.id}`);
    setPanel(null);
  };
  const toggle = (id: number, mode: PanelMode) => {
    setNews(null);
    if (panel?.id === id && panel.mode === mode) close();
    else setPanel({ id, mode });
  };
  const replace = (u: User) => users.set((users.data ?? []).map((x) => (x.id === u.id ? u : x)));
  const labels = [t('admin.name'), t('login.email'), t('admin.role'), t('admin.tab.regions'), t('admin.status'), t('admin.created'), t('common.actions')];
  return (
    <>
      <CreateForm
        id="new-user"
        title={t('admin.newUser')}
        specs={[
          { name: 'name', label: 'admin.name' },
          { name: 'email', label: 'login.email', type: 'email' },
          { name: 'role', label: 'admin.role', type: 'select', options: ROLES.map((r) => ({ value: r, label: roleLabel(r) })) },
          { name: 'region_code', label: 'admin.region', type: 'select', optional: true, options: regionOptions },
          { name: 'password', label: 'login.password', type: 'password' },
        ]}
        submit={(v) =>
          ok(store.api.POST('/api/v1/users', { body: { name: v.name, email: v.email, role: v.role as Role, password: v.password, region_code: v.region_code || undefined } }))
        }
        onDone={users.reload}
      />
      <p class="ok users-news" role="status" data-testid="users-news">
        {news ? t(news.active ? 'admin.reactivated' : 'admin.deactivated', { name: news.name }) : null}
      </p>
      <List loaded={users} empty={t('admin.noUsers')}>
        {(rows: User[]) => (
          <table class="users-table">
            <caption>{t('admin.tab.users')}</caption>
            <thead>
              <tr>
                {labels.map((x) => (
                  <th key={x} scope="col">
                    {x}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => {
                const active = isActive(u);
                const self = me?.id === u.id;
                const open = panel?.id === u.id ? panel.mode : null;
                return (
                  <Fragment key={u.id}>
                    <tr data-user={u.email} class={active ? undefined : 'inactive'}>
                      <td data-label={labels[0]}>{u.name}</td>
                      <td data-label={labels[1]} class="user-email">
                        {u.email}
                      </td>
                      <td data-label={labels[2]}>{roleLabel(u.role)}</td>
                      <td data-label={labels[3]}>{u.region_code ?? '—'}</td>
                      <td data-label={labels[4]}>
                        <span class={`badge ${active ? 'user-active' : 'user-inactive'}`} data-testid="user-status">
                          {t(active ? 'admin.active' : 'admin.inactive')}
                        </span>
                      </td>
                      <td data-label={labels[5]} class="nowrap">
                        {fmtDate(u.created_at, l)}
                      </td>
                      <td data-label={labels[6]}>
                        <div class="user-actions">
                          <button
                            type="button"
                            class="small"
                            id={`edit-user-${u.id}`}
                            aria-expanded={open === 'edit'}
                            aria-controls={`user-panel-${u.id}`}
                            aria-label={t('admin.editUserOf', { name: u.name })}
                            onClick={() => toggle(u.id, 'edit')}
                          >
                            {t('admin.edit')}
                          </button>
                          {self ? (
                            <span class="hint">{t('admin.you')}</span>
                          ) : (
                            <button
                              type="button"
                              class={`small${active ? ' danger' : ''}`}
                              id={`status-user-${u.id}`}
                              aria-expanded={open === 'status'}
                              aria-controls={`user-panel-${u.id}`}
                              aria-label={t(active ? 'admin.deactivateOf' : 'admin.reactivateOf', { name: u.name })}
                              onClick={() => toggle(u.id, 'status')}
                            >
                              {t(active ? 'admin.deactivate' : 'admin.reactivate')}
                            </button>
                          )}
                          {u.role === 'signatory' ? (
                            <button
                              type="button"
                              class="small danger"
                              id={`revoke-user-${u.id}`}
                              aria-expanded={open === 'revoke'}
                              aria-controls={`user-panel-${u.id}`}
                              aria-label={t('revoke.of', { name: u.name })}
                              onClick={() => toggle(u.id, 'revoke')}
                            >
                              {t('revoke.button')}
                            </button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                    {open ? (
                      <tr class="user-panel-row">
                        <td colSpan={labels.length} id={`user-panel-${u.id}`}>
                          {open === 'revoke' ? (
                            <RevokeKey user={u} onClose={close} />
                          ) : open === 'edit' ? (
                            <UserEditor user={u} regions={regionOptions} onSaved={replace} onReload={users.reload} onClose={close} />
                          ) : (
                            <ActiveConfirm
                              user={u}
                              onDone={(x) => {
                                replace(x);
                                setNews({ active: isActive(x), name: x.name });
                                close();
                              }}
                              onReload={users.reload}
                              onClose={close}
                            />
                          )}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
      </List>
    </>
  );
}

const USER_FIELDS = ['name', 'role', 'region_code'] as const;

/** Changes a user's name, role and region, with the version it started from. */
function UserEditor({ user, regions, onSaved, onReload, onClose }: { user: User; regions: Option[]; onSaved: (u: User) => void; onReload: () => void; onClose: () => void }) {
  const idp = `user-${user.id}`;
  const fieldId = (f: string) => `${idp}-${f === 'region_code' ? 'region' : f}`;
  const [base, setBase] = useState(user);
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [region, setRegion] = useState(user.region_code ?? '');
  const [note, setNote] = useState<'saved' | 'sessions' | 'same' | null>(null);
  const start = (u: User) => {
    setBase(u);
    setName(u.name);
    setRole(u.role);
    setRegion(u.region_code ?? '');
  };
  const form = useSubmit(
    async () => {
      setNote(null);
      if (role === 'operator' && !region) invalid({ region_code: t('admin.regionRequired') });
      const patch = userPatch(base, { name, role, region });
      if (!patch) return setNote('same');
      const u = await ok(store.api.PATCH('/api/v1/users/{id}', { params: { path: { id: base.id } }, body: patch }));
      start(u);
      setNote(endsSessions(patch) ? 'sessions' : 'saved');
      onSaved(u);
    },
    { focus: { fields: USER_FIELDS, id: fieldId } },
  );
  const first = useEditorStart(user, base, (x) => {
    start(x);
    form.reset();
  });
  const err = (f: string) => fieldError(form.error, f);
  const described = (f: string, hint?: string) => [hint ?? '', err(f) ? `${idp}-${f}-error` : ''].filter(Boolean).join(' ') || undefined;
  const invalidAttr = (f: string) => (err(f) ? 'true' : undefined);
  return (
    <form class="form user-edit" noValidate aria-labelledby={`${idp}-h`} onSubmit={form.submit} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3 id={`${idp}-h`}>{t('admin.editUserOf', { name: base.name })}</h3>
      <div class="row">
        <div class={`field${err('name') ? ' has-error' : ''}`}>
          <label for={`${idp}-name`}>{t('admin.name')}</label>
          <input ref={first} id={`${idp}-name`} value={name} autoComplete="off" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} aria-invalid={invalidAttr('name')} aria-describedby={described('name')} />
          <FieldMessage id={`${idp}-name-error`} error={err('name')} />
        </div>
        <div class={`field${err('role') ? ' has-error' : ''}`}>
          <label for={`${idp}-role`}>{t('admin.role')}</label>
          <select id={`${idp}-role`} value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)} aria-invalid={invalidAttr('role')} aria-describedby={described('role')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
          <FieldMessage id={`${idp}-role-error`} error={err('role')} />
        </div>
        <div class={`field${err('region_code') ? ' has-error' : ''}`}>
          <label for={`${idp}-region`}>{t('admin.region')}</label>
          <select
            id={`${idp}-region`}
            value={region}
            required={role === 'operator'}
            aria-required={role === 'operator' ? 'true' : undefined}
            onChange={(e) => setRegion((e.currentTarget as HTMLSelectElement).value)}
            aria-invalid={invalidAttr('region_code')}
            aria-describedby={described('region_code', `${idp}-region-hint`)}
          >
            <option value="">{t('admin.noRegion')}</option>
            {regions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <small id={`${idp}-region-hint`} class="hint">
            {t('admin.regionHint')}
          </small>
          <FieldMessage id={`${idp}-region_code-error`} error={err('region_code')} />
        </div>
      </div>
      {isStale(form.error) ? <StaleNote message={t('admin.userStale')} onReload={onReload} /> : form.error && !namesAny(form.error, USER_FIELDS) ? <FormError error={form.error} /> : null}
      <div class="actions">
        <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
        <button type="button" disabled={form.busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
        {note ? <OkNote>{note === 'saved' ? t('common.saved') : note === 'sessions' ? t('admin.userSavedSessions') : t('admin.nothingChanged')}</OkNote> : null}
      </div>
    </form>
  );
}

/** The confirmation step before an account is deactivated or reactivated. */
function ActiveConfirm({ user, onDone, onReload, onClose }: { user: User; onDone: (u: User) => void; onReload: () => void; onClose: () => void }) {
  const idp = `user-${user.id}-status`;
  const active = isActive(user);
  const form = useSubmit(() => ok(store.api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: activePatch(user, !active) })), { onDone });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const refused = fieldError(form.error, 'active');
  return (
    <div class={`user-confirm${active ? ' danger-zone' : ''}`} role="group" aria-labelledby={`${idp}-h`} aria-describedby={`${idp}-help`} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3 id={`${idp}-h`} ref={heading} tabIndex={-1}>
        {t(active ? 'admin.deactivateAsk' : 'admin.reactivateAsk', { name: user.name })}
      </h3>
      <p id={`${idp}-help`}>{t(active ? 'admin.deactivateHelp' : 'admin.reactivateHelp')}</p>
      {isStale(form.error) ? (
        <StaleNote message={t('admin.userStale')} onReload={onReload} />
      ) : refused ? (
        <p class="form-error" role="alert">
          {refused}
        </p>
      ) : (
        <FormError error={form.error} />
      )}
      <div class="actions">
        <button type="button" class={active ? 'danger' : 'primary'} disabled={form.busy} onClick={() => form.submit()}>
          {form.busy ? t('common.saving') : t(active ? 'admin.deactivateConfirm' : 'admin.reactivateConfirm')}
        </button>
        <button type="button" disabled={form.busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
