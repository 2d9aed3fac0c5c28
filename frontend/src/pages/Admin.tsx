import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { lang, roleLabel, t, zoneLabel, type MessageKey } from '../i18n';
import { ApiError, seg } from '../lib/api';
import { areaPatch, codeId, indicatorPatch, weightText } from '../lib/catalogue';
import { fmtDate, fmtNumber, parseDecimal } from '../lib/format';
import { imageDataURL } from '../lib/image';
import { isoDate, periodPatch } from '../lib/periods';
import { can, store } from '../lib/state';
import { activePatch, endsSessions, isActive, userPatch } from '../lib/users';
import { ROLES, type Role, type SigningKey, type Area, type Band, type Indicator, type Metric, type Period, type Region, type User, type ZoneSchemes } from '../lib/types';
import { Empty, ErrorNote, FormError, Loading, PageHeader, Unavailable, YearSelect, fieldError, useLoad, useYear, SubmitButton } from '../components/ui';

type Tab = 'users' | 'regions' | 'periods' | 'catalogue' | 'zones' | 'letterhead' | 'signatories';
const TABS: { tab: Tab; key: MessageKey; admin: boolean }[] = [
  { tab: 'periods', key: 'admin.tab.periods', admin: false },
  { tab: 'catalogue', key: 'admin.tab.catalogue', admin: false },
  { tab: 'regions', key: 'admin.tab.regions', admin: false },
  { tab: 'users', key: 'admin.tab.users', admin: true },
  { tab: 'zones', key: 'admin.tab.zones', admin: true },
  { tab: 'letterhead', key: 'admin.tab.letterhead', admin: true },
  { tab: 'signatories', key: 'admin.tab.signatories', admin: true },
];

export default function Admin() {
  const { params } = useRoute();
  const user = store.session.value;
  if (!can.manage(user)) return <Empty>{t('common.notAllowed')}</Empty>;
  const tabs = TABS.filter((x) => !x.admin || can.admin(user));
  const tab = (tabs.find((x) => x.tab === params.tab) ?? tabs[0]).tab;
  return (
    <>
      <PageHeader title={t('admin.title')} />
      <nav class="tabs" aria-label={t('admin.sections')}>
        <ul>
          {tabs.map((x) => (
            <li key={x.tab}>
              <a href={`/admin/${x.tab}`} aria-current={x.tab === tab ? 'page' : undefined}>
                {t(x.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'users' ? <Users /> : null}
      {tab === 'regions' ? <Regions /> : null}
      {tab === 'periods' ? <Periods /> : null}
      {tab === 'catalogue' ? <Catalogue /> : null}
      {tab === 'zones' ? <Zones /> : null}
      {tab === 'letterhead' ? <Letterhead /> : null}
      {tab === 'signatories' ? <Signatories /> : null}
    </>
  );
}

interface Spec {
  name: string;
  label: MessageKey;
  type?: 'text' | 'email' | 'password' | 'number' | 'select';
  options?: { value: string; label: string }[];
  optional?: boolean;
}

/** A create form: values stay when the API refuses them, each field shows its own error. */
function CreateForm({
  id,
  title,
  specs,
  submit,
  onDone,
}: {
  id: string;
  title: string;
  specs: Spec[];
  submit: (v: Record<string, string>) => Promise<unknown>;
  onDone: () => void;
}) {
  const blank = () => Object.fromEntries(specs.map((s) => [s.name, s.type === 'select' && !s.optional ? s.options?.[0]?.value ?? '' : '']));
  const [values, setValues] = useState<Record<string, string>>(blank);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const set = (k: string, v: string) => setValues((x) => ({ ...x, [k]: v }));
  // A required select whose options arrived after the form was made shows (and sends) the first one.
  const value = (s: Spec) => (s.type === 'select' && !s.optional && !s.options?.some((o) => o.value === values[s.name]) ? s.options?.[0]?.value ?? '' : values[s.name]);
  const current = () => Object.fromEntries(specs.map((s) => [s.name, value(s)]));
  return (
    <form
      class="card form create-form"
      noValidate
      aria-labelledby={`${id}-h`}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        setSaved(false);
        try {
          await submit(current());
          setValues(blank());
          setSaved(true);
          onDone();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id={`${id}-h`}>{title}</h2>
      <div class="row wrap">
        {specs.map((s) => {
          const fid = `${id}-${s.name}`;
          const err = fieldError(error, s.name);
          return (
            <div key={s.name} class={`field${err ? ' has-error' : ''}`}>
              <label for={fid}>
                {t(s.label)}
                {s.optional ? <span class="hint"> ({t('common.optional')})</span> : null}
              </label>
              {s.type === 'select' ? (
                <select id={fid} value={value(s)} onChange={(e) => set(s.name, (e.currentTarget as HTMLSelectElement).value)} aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `${fid}-error` : undefined}>
                  {s.optional ? <option value="">—</option> : null}
                  {s.options?.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={fid}
                  type={(s.type === 'number' ? 'text' : s.type ?? 'text') as 'text'}
                  inputMode={s.type === 'number' ? 'decimal' : undefined}
                  autoComplete={s.type === 'password' ? 'new-password' : 'off'}
                  value={values[s.name]}
                  onInput={(e) => set(s.name, (e.currentTarget as HTMLInputElement).value)}
                  aria-invalid={err ? 'true' : undefined}
                  aria-describedby={err ? `${fid}-error` : undefined}
                />
              )}
              {err ? (
                <small id={`${fid}-error`} class="field-error">
                  {err}
                </small>
              ) : null}
            </div>
          );
        })}
      </div>
      {error && !specs.some((s) => fieldError(error, s.name)) ? <FormError error={error} /> : null}
      <SubmitButton busy={busy}>{t('common.add')}</SubmitButton>
      {saved ? (
        <span class="ok" role="status">
          {t('common.saved')}
        </span>
      ) : null}
    </form>
  );
}

const num = (s: string) => (s.trim() === '' ? undefined : parseDecimal(s) ?? NaN);
/** A number field the API would refuse as JSON: named before sending. */
function numbers(v: Record<string, string>, names: string[]): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  const bad: Record<string, string> = {};
  for (const n of names) {
    const x = num(v[n]);
    if (Number.isNaN(x)) bad[n] = t('form.number');
    out[n] = x;
  }
  if (Object.keys(bad).length) throw new ApiError(422, 'validation_failed', t('form.invalid'), bad);
  return out;
}

/** Moves the focus once the next render is done. */
const focusSoon = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

function Users() {
  const users = useLoad(() => store.client.get<User[]>('/api/v1/users'), []);
  const regions = useLoad(() => store.client.get<Region[]>('/api/v1/regions'), []);
  const caps = useLoad(() => store.capabilities(), []);
  const editable = caps.data?.has('PATCH', '/api/v1/users/{id}') ?? false;
  const me = store.session.value;
  const [panel, setPanel] = useState<{ id: number; mode: 'edit' | 'status' } | null>(null);
  // what the last (de)activation did, read out and kept in the language of the interface
  const [news, setNews] = useState<{ active: boolean; name: string } | null>(null);
  const l = lang.value;
  const regionOptions = (regions.data ?? []).map((r) => ({ value: r.code, label: `${r.code} ${r.name}` }));
  const close = () => {
    if (panel) focusSoon(`${panel.mode === 'edit' ? 'edit' : 'status'}-user-${panel.id}`);
    setPanel(null);
  };
  const toggle = (id: number, mode: 'edit' | 'status') => {
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
        submit={(v) => store.client.post('/api/v1/users', { ...v, region_code: v.region_code || undefined })}
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
                      <td data-label={labels[1]} class="user-email">{u.email}</td>
                      <td data-label={labels[2]}>{roleLabel(u.role)}</td>
                      <td data-label={labels[3]}>{u.region_code ?? '—'}</td>
                      <td data-label={labels[4]}>
                        <span class={`badge ${active ? 'user-active' : 'user-inactive'}`} data-testid="user-status">
                          {t(active ? 'admin.active' : 'admin.inactive')}
                        </span>
                      </td>
                      <td data-label={labels[5]} class="nowrap">{fmtDate(u.created_at, l)}</td>
                      <td data-label={labels[6]}>
                        {editable ? (
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
                          </div>
                        ) : self ? (
                          <span class="hint">{t('admin.you')}</span>
                        ) : null}
                      </td>
                    </tr>
                    {open ? (
                      <tr class="user-panel-row">
                        <td colSpan={labels.length} id={`user-panel-${u.id}`}>
                          {open === 'edit' ? (
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

/** Changes a user's name, role and region (PATCH /api/v1/users/{id}), with the version it started from. */
function UserEditor({ user, regions, onSaved, onReload, onClose }: { user: User; regions: { value: string; label: string }[]; onSaved: (u: User) => void; onReload: () => void; onClose: () => void }) {
  const idp = `user-${user.id}`;
  const [base, setBase] = useState(user);
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [region, setRegion] = useState(user.region_code ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<'saved' | 'sessions' | 'same' | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  // After "load the latest", the list brings the new version: start again from it.
  useEffect(() => {
    if (user.version !== base.version) {
      setBase(user);
      setName(user.name);
      setRole(user.role);
      setRegion(user.region_code ?? '');
      setError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user.version]);
  const stale = error instanceof ApiError && error.code === 'conflict';
  const errs = { name: fieldError(error, 'name'), role: fieldError(error, 'role'), region_code: fieldError(error, 'region_code') };
  const fieldLevel = Object.values(errs).some(Boolean);
  const described = (f: keyof typeof errs, hint?: string) => [hint ?? '', errs[f] ? `${idp}-${f}-error` : ''].filter(Boolean).join(' ') || undefined;
  async function save(e: Event) {
    e.preventDefault();
    setNote(null);
    setError(null);
    if (role === 'operator' && !region) {
      setError(new ApiError(422, 'validation_failed', t('form.invalid'), { region_code: t('admin.regionRequired') }));
      focusSoon(`${idp}-region`);
      return;
    }
    const patch = userPatch(base, { name, role, region });
    if (!patch) {
      setNote('same');
      return;
    }
    setBusy(true);
    try {
      const u = await store.client.patch<User>(`/api/v1/users/${base.id}`, patch);
      setBase(u);
      setName(u.name);
      setRole(u.role);
      setRegion(u.region_code ?? '');
      setNote(endsSessions(patch) ? 'sessions' : 'saved');
      onSaved(u);
    } catch (err) {
      setError(err);
      // The first field the API named takes the focus, so its message is read out.
      const bad = (['name', 'role', 'region_code'] as const).find((f) => fieldError(err, f));
      if (bad) focusSoon(`${idp}-${bad === 'region_code' ? 'region' : bad}`);
    } finally {
      setBusy(false);
    }
  }
  const errorText = (f: keyof typeof errs) =>
    errs[f] ? (
      <small id={`${idp}-${f}-error`} class="field-error">
        {errs[f]}
      </small>
    ) : null;
  return (
    <form class="form user-edit" noValidate aria-labelledby={`${idp}-h`} onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3 id={`${idp}-h`}>{t('admin.editUserOf', { name: base.name })}</h3>
      <div class="row">
        <div class={`field${errs.name ? ' has-error' : ''}`}>
          <label for={`${idp}-name`}>{t('admin.name')}</label>
          <input ref={first} id={`${idp}-name`} value={name} autoComplete="off" onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} aria-invalid={errs.name ? 'true' : undefined} aria-describedby={described('name')} />
          {errorText('name')}
        </div>
        <div class={`field${errs.role ? ' has-error' : ''}`}>
          <label for={`${idp}-role`}>{t('admin.role')}</label>
          <select id={`${idp}-role`} value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)} aria-invalid={errs.role ? 'true' : undefined} aria-describedby={described('role')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
          {errorText('role')}
        </div>
        <div class={`field${errs.region_code ? ' has-error' : ''}`}>
          <label for={`${idp}-region`}>{t('admin.region')}</label>
          <select
            id={`${idp}-region`}
            value={region}
            required={role === 'operator'}
            aria-required={role === 'operator' ? 'true' : undefined}
            onChange={(e) => setRegion((e.currentTarget as HTMLSelectElement).value)}
            aria-invalid={errs.region_code ? 'true' : undefined}
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
          {errorText('region_code')}
        </div>
      </div>
      {stale ? (
        <StaleNote message={t('admin.userStale')} onReload={onReload} />
      ) : error && !fieldLevel ? (
        <FormError error={error} />
      ) : null}
      <div class="actions">
        <SubmitButton busy={busy}>{t('common.save')}</SubmitButton>
        <button type="button" disabled={busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
        {note ? (
          <span class="ok" role="status">
            {note === 'saved' ? t('common.saved') : note === 'sessions' ? t('admin.userSavedSessions') : t('admin.nothingChanged')}
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** The confirmation step before an account is deactivated or reactivated. */
function ActiveConfirm({ user, onDone, onReload, onClose }: { user: User; onDone: (u: User) => void; onReload: () => void; onClose: () => void }) {
  const idp = `user-${user.id}-status`;
  const active = isActive(user);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const stale = error instanceof ApiError && error.code === 'conflict';
  const refused = fieldError(error, 'active');
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      onDone(await store.client.patch<User>(`/api/v1/users/${user.id}`, activePatch(user, !active)));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <div class={`user-confirm${active ? ' danger-zone' : ''}`} role="group" aria-labelledby={`${idp}-h`} aria-describedby={`${idp}-help`} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3 id={`${idp}-h`} ref={heading} tabIndex={-1}>
        {t(active ? 'admin.deactivateAsk' : 'admin.reactivateAsk', { name: user.name })}
      </h3>
      <p id={`${idp}-help`}>{t(active ? 'admin.deactivateHelp' : 'admin.reactivateHelp')}</p>
      {stale ? (
        <StaleNote message={t('admin.userStale')} onReload={onReload} />
      ) : refused ? (
        <p class="form-error" role="alert">
          {refused}
        </p>
      ) : (
        <FormError error={error} />
      )}
      <div class="actions">
        <button type="button" class={active ? 'danger' : 'primary'} disabled={busy} onClick={confirm}>
          {busy ? t('common.saving') : t(active ? 'admin.deactivateConfirm' : 'admin.reactivateConfirm')}
        </button>
        <button type="button" disabled={busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

function List<T>({ loaded, empty, children }: { loaded: { data: T[] | undefined; error: unknown; loading: boolean; reload: () => void }; empty: string; children: (rows: T[]) => preact.ComponentChildren }) {
  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  if (loaded.data.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={empty}>
      {children(loaded.data)}
    </div>
  );
}

function Regions() {
  const regions = useLoad(() => store.client.get<Region[]>('/api/v1/regions'), []);
  const kinds = ['regency', 'city', 'province'];
  return (
    <>
      <CreateForm
        id="new-region"
        title={t('admin.newRegion')}
        specs={[
          { name: 'code', label: 'admin.code' },
          { name: 'name', label: 'admin.name' },
          { name: 'kind', label: 'admin.kind', type: 'select', options: kinds.map((k) => ({ value: k, label: t(`kind.${k}` as MessageKey) })) },
        ]}
        submit={(v) => store.client.post('/api/v1/regions', v)}
        onDone={regions.reload}
      />
      <List loaded={regions} empty={t('admin.noRegions')}>
        {(rows: Region[]) => (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.code')}</th>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.kind')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code}>
                  <td>{r.code}</td>
                  <td>{r.name}</td>
                  <td>{t(`kind.${r.kind}` as MessageKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </List>
    </>
  );
}

function Periods() {
  const periods = useLoad(() => store.client.get<Period[]>('/api/v1/periods'), []);
  const [editing, setEditing] = useState<number | null>(null);
  const l = lang.value;
  const close = (year: number) => {
    setEditing(null);
    setTimeout(() => document.getElementById(`edit-period-${year}`)?.focus(), 0);
  };
  const current = periods.data?.find((p) => p.year === editing);
  return (
    <>
      <CreateForm
        id="new-period"
        title={t('admin.newPeriod')}
        specs={[
          { name: 'year', label: 'common.year', type: 'number' },
          { name: 'name', label: 'admin.name' },
        ]}
        submit={(v) => store.client.post('/api/v1/periods', { name: v.name, ...numbers(v, ['year']) })}
        onDone={() => {
          periods.reload();
          store.loadPeriods().catch(() => undefined);
        }}
      />
      <List loaded={periods} empty={t('dash.noPeriods')}>
        {(rows: Period[]) => (
          <table>
            <caption>{t('admin.tab.periods')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.year')}</th>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.deadline')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.year} data-year={p.year}>
                  <td>{p.year}</td>
                  <td>{p.name}</td>
                  <td data-testid="period-deadline">{p.deadline ? fmtDate(isoDate(p.deadline), l, 'UTC') : <span class="hint">{t('admin.noDeadline')}</span>}</td>
                  <td>
                    <button
                      type="button"
                      class="small"
                      id={`edit-period-${p.year}`}
                      aria-expanded={editing === p.year}
                      aria-controls="period-edit"
                      aria-label={t('admin.editPeriodOf', { year: p.year })}
                      onClick={() => (editing === p.year ? close(p.year) : setEditing(p.year))}
                    >
                      {t('admin.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </List>
      {current ? (
        <PeriodEditor
          key={current.year}
          period={current}
          onSaved={(p) => {
            periods.set((periods.data ?? []).map((x) => (x.year === p.year ? p : x)));
            store.loadPeriods().catch(() => undefined);
          }}
          onReload={periods.reload}
          onClose={() => close(current.year)}
        />
      ) : null}
    </>
  );
}

/** Renames a period and sets or clears its deadline (PATCH /api/v1/periods/{year}). */
function PeriodEditor({ period, onSaved, onReload, onClose }: { period: Period; onSaved: (p: Period) => void; onReload: () => void; onClose: () => void }) {
  const [base, setBase] = useState(period);
  const [name, setName] = useState(period.name);
  const [deadline, setDeadline] = useState(isoDate(period.deadline));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<'saved' | 'same' | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  // After "load the latest", the list brings the new version: start again from it.
  useEffect(() => {
    if (period.version !== base.version) {
      setBase(period);
      setName(period.name);
      setDeadline(isoDate(period.deadline));
      setError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period.version]);
  const stale = error instanceof ApiError && error.code === 'conflict';
  const nameErr = fieldError(error, 'name');
  const deadlineErr = fieldError(error, 'deadline');
  async function save(e: Event) {
    e.preventDefault();
    setNote(null);
    setError(null);
    const patch = periodPatch(base, name, deadline);
    if (!patch) {
      setNote('same');
      return;
    }
    setBusy(true);
    try {
      const p = await store.client.patch<Period>(`/api/v1/periods/${base.year}`, patch);
      setBase(p);
      setName(p.name);
      setDeadline(isoDate(p.deadline));
      setNote('saved');
      onSaved(p);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form id="period-edit" class="card form period-edit" noValidate aria-labelledby="period-edit-h" onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h2 id="period-edit-h">{t('admin.editPeriodOf', { year: base.year })}</h2>
      <div class="row">
        <div class={`field${nameErr ? ' has-error' : ''}`}>
          <label for="period-name">{t('admin.name')}</label>
          <input ref={first} id="period-name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} aria-invalid={nameErr ? 'true' : undefined} aria-describedby={nameErr ? 'period-name-error' : undefined} />
          {nameErr ? (
            <small id="period-name-error" class="field-error">
              {nameErr}
            </small>
          ) : null}
        </div>
        <div class={`field${deadlineErr ? ' has-error' : ''}`}>
          <label for="period-deadline">{t('admin.deadline')}</label>
          <input
            id="period-deadline"
            type="date"
            value={deadline}
            onInput={(e) => setDeadline((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={deadlineErr ? 'true' : undefined}
            aria-describedby={['period-deadline-hint', deadlineErr ? 'period-deadline-error' : ''].filter(Boolean).join(' ')}
          />
          <small id="period-deadline-hint" class="hint">
            {t('admin.deadlineHint')}
          </small>
          {deadlineErr ? (
            <small id="period-deadline-error" class="field-error">
              {deadlineErr}
            </small>
          ) : null}
        </div>
      </div>
      {stale ? (
        <StaleNote message={t('admin.periodStale')} onReload={onReload} />
      ) : error && !nameErr && !deadlineErr ? (
        <FormError error={error} />
      ) : null}
      <div class="actions">
        <SubmitButton busy={busy}>{t('common.save')}</SubmitButton>
        {deadline ? (
          <button type="button" disabled={busy} onClick={() => setDeadline('')}>
            {t('admin.clearDeadline')}
          </button>
        ) : null}
        <button type="button" disabled={busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
        {note ? (
          <span class="ok" role="status">
            {note === 'saved' ? t('common.saved') : t('admin.nothingChanged')}
          </span>
        ) : null}
      </div>
    </form>
  );
}

function Catalogue() {
  const { year, ready } = useYear();
  const areas = useLoad(() => (year ? store.client.get<Area[]>(`/api/v1/periods/${year}/areas`) : Promise.resolve([])), [year]);
  const indicators = useLoad(() => (year ? store.client.get<Indicator[]>(`/api/v1/periods/${year}/indicators`) : Promise.resolve([])), [year]);
  const caps = useLoad(() => store.capabilities(), []);
  const canArea = caps.data?.has('PATCH', '/api/v1/periods/{year}/areas/{area}') ?? false;
  const canIndicator = caps.data?.has('PATCH', '/api/v1/periods/{year}/indicators/{indicator}') ?? false;
  // one editor open at a time, under its row
  const [panel, setPanel] = useState<{ kind: CatalogueKind; code: string } | null>(null);
  useEffect(() => setPanel(null), [year]);
  const l = lang.value;
  if (!ready) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  const close = () => {
    if (panel) focusSoon(`edit-${panel.kind}-${codeId(panel.code)}`);
    setPanel(null);
  };
  const toggle = (kind: CatalogueKind, code: string) => (panel?.kind === kind && panel.code === code ? close() : setPanel({ kind, code }));
  const areaLabels = [t('admin.code'), t('admin.name'), t('admin.weight'), t('common.actions')];
  const indicatorLabels = [t('admin.code'), t('admin.area'), t('admin.indicatorTitle'), t('admin.weight'), t('common.actions')];
  const editButton = (kind: CatalogueKind, code: string, label: string) => (
    <button
      type="button"
      class="small"
      id={`edit-${kind}-${codeId(code)}`}
      aria-expanded={panel?.kind === kind && panel.code === code}
      aria-controls={`${kind}-panel-${codeId(code)}`}
      aria-label={label}
      onClick={() => toggle(kind, code)}
    >
      {t('admin.edit')}
    </button>
  );
  return (
    <>
      <YearSelect id="catalogue-year" />
      <CreateForm
        id="new-area"
        title={t('admin.newArea')}
        specs={[
          { name: 'code', label: 'admin.code' },
          { name: 'name', label: 'admin.name' },
          { name: 'weight', label: 'admin.weight', type: 'number', optional: true },
        ]}
        submit={(v) => store.client.post(`/api/v1/periods/${year}/areas`, { code: v.code, name: v.name, ...numbers(v, ['weight']) })}
        onDone={areas.reload}
      />
      <List loaded={areas} empty={t('admin.noAreas')}>
        {(rows: Area[]) => (
          <table class="stack-table catalogue-table">
            <caption>{t('admin.areas')}</caption>
            <thead>
              <tr>
                {areaLabels.map((x, n) => (
                  <th key={x} scope="col" class={n === 2 ? 'num' : undefined}>
                    {x}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <Fragment key={a.code}>
                  <tr data-area={a.code}>
                    <td data-label={areaLabels[0]}>{a.code}</td>
                    <td data-label={areaLabels[1]}>{a.name}</td>
                    <td data-label={areaLabels[2]} class="num" data-testid="area-weight">
                      {fmtNumber(a.weight, l)}
                    </td>
                    <td data-label={areaLabels[3]}>{canArea ? editButton('area', a.code, t('admin.editAreaOf', { name: `${a.code} ${a.name}` })) : null}</td>
                  </tr>
                  {panel?.kind === 'area' && panel.code === a.code ? (
                    <tr class="panel-row">
                      <td colSpan={areaLabels.length} id={`area-panel-${codeId(a.code)}`}>
                        <CatalogueEditor year={year} kind="area" item={a} areas={rows} onSaved={(x) => areas.set(rows.map((y) => (y.code === x.code ? (x as Area) : y)))} onReload={areas.reload} onClose={close} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </List>
      <CreateForm
        id="new-indicator"
        title={t('admin.newIndicator')}
        specs={[
          { name: 'code', label: 'admin.code' },
          { name: 'area', label: 'admin.area', type: 'select', options: (areas.data ?? []).map((a) => ({ value: a.code, label: `${a.code} ${a.name}` })) },
          { name: 'title', label: 'admin.indicatorTitle' },
          { name: 'weight', label: 'admin.weight', type: 'number', optional: true },
        ]}
        submit={(v) => store.client.post(`/api/v1/periods/${year}/indicators`, { code: v.code, area: v.area, title: v.title, ...numbers(v, ['weight']) })}
        onDone={indicators.reload}
      />
      <List loaded={indicators} empty={t('admin.noIndicators')}>
        {(rows: Indicator[]) => (
          <table class="stack-table catalogue-table">
            <caption>{t('admin.indicators')}</caption>
            <thead>
              <tr>
                {indicatorLabels.map((x, n) => (
                  <th key={x} scope="col" class={n === 3 ? 'num' : undefined}>
                    {x}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <Fragment key={i.code}>
                  <tr data-indicator={i.code}>
                    <td data-label={indicatorLabels[0]}>{i.code}</td>
                    <td data-label={indicatorLabels[1]} data-testid="indicator-area">
                      {i.area}
                    </td>
                    <td data-label={indicatorLabels[2]}>{i.title}</td>
                    <td data-label={indicatorLabels[3]} class="num" data-testid="indicator-weight">
                      {fmtNumber(i.weight, l)}
                    </td>
                    <td data-label={indicatorLabels[4]}>{canIndicator ? editButton('indicator', i.code, t('admin.editIndicatorOf', { code: i.code })) : null}</td>
                  </tr>
                  {panel?.kind === 'indicator' && panel.code === i.code ? (
                    <tr class="panel-row">
                      <td colSpan={indicatorLabels.length} id={`indicator-panel-${codeId(i.code)}`}>
                        <CatalogueEditor
                          year={year}
                          kind="indicator"
                          item={i}
                          areas={areas.data ?? []}
                          onSaved={(x) => indicators.set(rows.map((y) => (y.code === x.code ? (x as Indicator) : y)))}
                          onReload={() => {
                            indicators.reload();
                            areas.reload();
                          }}
                          onClose={close}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </List>
    </>
  );
}

type CatalogueKind = 'area' | 'indicator';

/**
 * Changes an area (name, weight) or an indicator (title, weight, area) of a period through
 * PATCH /api/v1/periods/{year}/{areas|indicators}/{code}: only what changed, with the version
 * the form started from. The period's scores follow on the server at once.
 */
function CatalogueEditor({
  year,
  kind,
  item,
  areas,
  onSaved,
  onReload,
  onClose,
}: {
  year: number;
  kind: CatalogueKind;
  item: Area | Indicator;
  areas: Area[];
  onSaved: (x: Area | Indicator) => void;
  onReload: () => void;
  onClose: () => void;
}) {
  const idp = `${kind}-${codeId(item.code)}`;
  const isArea = kind === 'area';
  const textName = isArea ? 'name' : 'title';
  const textOf = (x: Area | Indicator) => (isArea ? (x as Area).name : (x as Indicator).title);
  const areaOf = (x: Area | Indicator) => (isArea ? '' : (x as Indicator).area);
  const [base, setBase] = useState(item);
  const [text, setText] = useState(textOf(item));
  const [weight, setWeight] = useState(weightText(item.weight, lang.value));
  const [area, setArea] = useState(areaOf(item));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<'saved' | 'same' | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const reset = (x: Area | Indicator) => {
    setBase(x);
    setText(textOf(x));
    setWeight(weightText(x.weight, lang.value));
    setArea(areaOf(x));
  };
  // After "load the latest", the list brings the new version: start again from it.
  useEffect(() => {
    if (item.version !== base.version) {
      reset(item);
      setError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [item.version]);
  const fields = isArea ? ['name', 'weight'] : ['title', 'weight', 'area'];
  const stale = error instanceof ApiError && error.code === 'conflict';
  const err = (f: string) => fieldError(error, f);
  const fieldLevel = fields.some((f) => err(f));
  const described = (f: string, hint?: boolean) => [hint ? `${idp}-${f}-hint` : '', err(f) ? `${idp}-${f}-error` : ''].filter(Boolean).join(' ') || undefined;
  const invalid = (f: string) => (err(f) ? 'true' : undefined);
  async function save(e: Event) {
    e.preventDefault();
    setNote(null);
    setError(null);
    const checked = isArea ? areaPatch(base as Area, { name: text, weight }) : indicatorPatch(base as Indicator, { title: text, weight, area });
    if ('fields' in checked) {
      const named = Object.fromEntries(Object.entries(checked.fields).map(([f, k]) => [f, t(k)]));
      setError(new ApiError(422, 'validation_failed', t('form.invalid'), named));
      focusSoon(`${idp}-${Object.keys(named)[0]}`);
      return;
    }
    if (!checked.patch) {
      setNote('same');
      return;
    }
    setBusy(true);
    try {
      const x = await store.client.patch<Area | Indicator>(`/api/v1/periods/${year}/${isArea ? 'areas' : 'indicators'}/${seg(base.code)}`, checked.patch);
      reset(x);
      setNote('saved');
      onSaved(x);
    } catch (ex) {
      setError(ex);
      // The first field the API named takes the focus, so its message is read out.
      const bad = fields.find((f) => fieldError(ex, f));
      if (bad) focusSoon(`${idp}-${bad}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="form row-edit" noValidate aria-labelledby={`${idp}-h`} onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3 id={`${idp}-h`}>{isArea ? t('admin.editAreaOf', { name: `${base.code} ${textOf(base)}` }) : t('admin.editIndicatorOf', { code: base.code })}</h3>
      <div class="row">
        <div class={`field${err(textName) ? ' has-error' : ''}`}>
          <label for={`${idp}-${textName}`}>{t(isArea ? 'admin.name' : 'admin.indicatorTitle')}</label>
          <input ref={first} id={`${idp}-${textName}`} value={text} autoComplete="off" onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} aria-invalid={invalid(textName)} aria-describedby={described(textName)} />
          <FieldMessage id={`${idp}-${textName}-error`} error={err(textName)} />
        </div>
        <div class={`field weight-field${err('weight') ? ' has-error' : ''}`}>
          <label for={`${idp}-weight`}>{t('admin.weight')}</label>
          <input id={`${idp}-weight`} inputMode="decimal" autoComplete="off" value={weight} onInput={(e) => setWeight((e.currentTarget as HTMLInputElement).value)} aria-invalid={invalid('weight')} aria-describedby={described('weight', true)} />
          <small id={`${idp}-weight-hint`} class="hint">
            {t('admin.weightHint')}
          </small>
          <FieldMessage id={`${idp}-weight-error`} error={err('weight')} />
        </div>
        {isArea ? null : (
          <div class={`field${err('area') ? ' has-error' : ''}`}>
            <label for={`${idp}-area`}>{t('admin.area')}</label>
            <select id={`${idp}-area`} value={area} onChange={(e) => setArea((e.currentTarget as HTMLSelectElement).value)} aria-invalid={invalid('area')} aria-describedby={described('area', true)}>
              {areas.some((a) => a.code === area) ? null : <option value={area}>{area}</option>}
              {areas.map((a) => (
                <option key={a.code} value={a.code}>
                  {`${a.code} ${a.name}`}
                </option>
              ))}
            </select>
            <small id={`${idp}-area-hint`} class="hint">
              {t('admin.moveHint')}
            </small>
            <FieldMessage id={`${idp}-area-error`} error={err('area')} />
          </div>
        )}
      </div>
      {stale ? <StaleNote message={t(isArea ? 'admin.areaStale' : 'admin.indicatorStale')} onReload={onReload} /> : error && !fieldLevel ? <FormError error={error} /> : null}
      <div class="actions">
        <SubmitButton busy={busy}>{t('common.save')}</SubmitButton>
        <button type="button" disabled={busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
        {note ? (
          <span class="ok" role="status">
            {note === 'saved' ? t('admin.catalogueSaved') : t('admin.nothingChanged')}
          </span>
        ) : null}
      </div>
    </form>
  );
}

/** The note of a stale edit (409): someone else saved first; the button loads the latest version. */
function StaleNote({ message, onReload }: { message: string; onReload: () => void }) {
  return (
    <div class="error-note" role="alert">
      <span>{message}</span>
      <button type="button" class="link" onClick={onReload}>
        {t('common.reloadLatest')}
      </button>
    </div>
  );
}

/** A field's error, right under it (its id is what aria-describedby names). */
function FieldMessage({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <small id={id} class="field-error">
      {error}
    </small>
  ) : null;
}

function Zones() {
  const { year, ready } = useYear();
  const zones = useLoad(() => (year ? store.client.get<ZoneSchemes>(`/api/v1/periods/${year}/zones`) : Promise.resolve(null)), [year]);
  if (!ready) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  return (
    <>
      <YearSelect id="zones-year" />
      <p class="hint">{t('admin.zonesHelp')}</p>
      {zones.error ? <ErrorNote error={zones.error} onRetry={zones.reload} /> : null}
      {zones.data
        ? (['action_plan', 'delegation'] as Metric[]).map((m) => (
            <BandEditor key={`${year}-${m}-${JSON.stringify(zones.data![m])}`} year={year} metric={m} bands={zones.data![m] ?? []} onSaved={(z) => zones.set(z)} />
          ))
        : <Loading />}
    </>
  );
}

function BandEditor({ year, metric, bands, onSaved }: { year: number; metric: Metric; bands: Band[]; onSaved: (z: ZoneSchemes) => void }) {
  const l = lang.value;
  const [rows, setRows] = useState(bands.map((b) => ({ ...b, minText: String(b.min).replace('.', l === 'id' ? ',' : '.'), maxText: String(b.max).replace('.', l === 'id' ? ',' : '.') })));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const idp = `bands-${metric}`;
  async function put(body: unknown) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const z = await store.client.put<ZoneSchemes>(`/api/v1/periods/${year}/zones/${metric}`, body);
      setSaved(true);
      onSaved(z);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const update = (i: number, patch: Partial<(typeof rows)[number]>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const bandsError = fieldError(error, 'bands') ?? fieldError(error, 'preset');
  return (
    <section class="card" aria-labelledby={`${idp}-h`}>
      <h2 id={`${idp}-h`}>{t(metric === 'action_plan' ? 'metric.action_plan' : 'metric.delegation')}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby={`${idp}-h`}>
        <table class="bands">
          <thead>
            <tr>
              <th scope="col">{t('admin.zone')}</th>
              <th scope="col">{t('admin.min')}</th>
              <th scope="col">{t('admin.inclusive')}</th>
              <th scope="col">{t('admin.max')}</th>
              <th scope="col">{t('admin.inclusive')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key}>
                <th scope="row">{zoneLabel(r.key)}</th>
                <td>
                  <input aria-label={`${zoneLabel(r.key)} ${t('admin.min')}`} inputMode="decimal" value={r.minText} onInput={(e) => update(i, { minText: (e.currentTarget as HTMLInputElement).value })} />
                </td>
                <td>
                  <input type="checkbox" aria-label={`${zoneLabel(r.key)} ${t('admin.min')} ${t('admin.inclusive')}`} checked={r.min_inclusive} onChange={(e) => update(i, { min_inclusive: (e.currentTarget as HTMLInputElement).checked })} />
                </td>
                <td>
                  <input aria-label={`${zoneLabel(r.key)} ${t('admin.max')}`} inputMode="decimal" value={r.maxText} onInput={(e) => update(i, { maxText: (e.currentTarget as HTMLInputElement).value })} />
                </td>
                <td>
                  <input type="checkbox" aria-label={`${zoneLabel(r.key)} ${t('admin.max')} ${t('admin.inclusive')}`} checked={r.max_inclusive} onChange={(e) => update(i, { max_inclusive: (e.currentTarget as HTMLInputElement).checked })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {bandsError ? (
        <p class="field-error" role="alert">
          {bandsError}
        </p>
      ) : error ? (
        <FormError error={error} />
      ) : null}
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => {
            const out = rows.map((r) => ({ key: r.key, min: parseDecimal(r.minText), min_inclusive: r.min_inclusive, max: parseDecimal(r.maxText), max_inclusive: r.max_inclusive }));
            if (out.some((b) => b.min === null || b.max === null)) {
              setError(new ApiError(422, 'validation_failed', t('form.invalid'), { bands: t('form.number') }));
              return;
            }
            put({ bands: out });
          }}
        >
          {t('admin.saveBands')}
        </button>
        <button type="button" disabled={busy} onClick={() => put({ preset: 'default' })}>
          {t('admin.presetDefault')}
        </button>
        <button type="button" disabled={busy} onClick={() => put({ preset: 'kpk' })}>
          {t('admin.presetKpk')}
        </button>
        {saved ? (
          <span class="ok" role="status">
            {t('common.saved')}
          </span>
        ) : null}
      </div>
    </section>
  );
}

interface LetterheadT {
  government: string;
  institution: string;
  address: string;
  logo: string | null;
}

/** The letterhead printed on reports and commitments (GET/PUT /api/v1/letterhead, when served). */
function Letterhead() {
  const caps = useLoad(() => store.capabilities(), []);
  const has = caps.data?.has('GET', '/api/v1/letterhead') ?? false;
  const lh = useLoad(() => (has ? store.client.get<LetterheadT>('/api/v1/letterhead') : Promise.resolve(null)), [has]);
  const [v, setV] = useState<LetterheadT | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  if (caps.loading || (has && lh.loading && !lh.data)) return <Loading />;
  if (!has) return <Unavailable what={t('admin.letterhead')} />;
  if (lh.error) return <ErrorNote error={lh.error} onRetry={lh.reload} />;
  const cur = v ?? lh.data ?? { government: '', institution: '', address: '', logo: null };
  const set = (k: keyof LetterheadT, x: string | null) => setV({ ...cur, [k]: x });
  const logoURL = imageDataURL(cur.logo);
  return (
    <form
      class="card form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        setSaved(false);
        try {
          await store.client.put('/api/v1/letterhead', cur);
          setSaved(true);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2>{t('admin.letterhead')}</h2>
      {(['government', 'institution', 'address'] as const).map((k) => (
        <div key={k} class={`field${fieldError(error, k) ? ' has-error' : ''}`}>
          <label for={`lh-${k}`}>{t(`admin.lh.${k}` as MessageKey)}</label>
          <input id={`lh-${k}`} value={cur[k]} onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value)} aria-invalid={fieldError(error, k) ? 'true' : undefined} />
          {fieldError(error, k) ? <small class="field-error">{fieldError(error, k)}</small> : null}
        </div>
      ))}
      <div class="field">
        <label for="lh-logo">{t('admin.lh.logo')}</label>
        {cur.logo && logoURL ? <img src={logoURL} alt={t('admin.lh.logoPreview')} data-testid="logo-preview" style={{ maxHeight: '4rem', alignSelf: 'flex-start' }} /> : null}
        {cur.logo && !logoURL ? <small class="field-error">{t('admin.lh.logoUnknown')}</small> : null}
        <input
          id="lh-logo"
          type="file"
          accept="image/png,image/jpeg"
          onChange={async (e) => {
            const f = (e.currentTarget as HTMLInputElement).files?.[0];
            if (!f) return;
            const b = new Uint8Array(await f.arrayBuffer());
            let bin = '';
            for (const x of b) bin += String.fromCharCode(x);
            set('logo', btoa(bin));
          }}
        />
        {fieldError(error, 'logo') ? <small class="field-error">{fieldError(error, 'logo')}</small> : null}
      </div>
      {error && !['government', 'institution', 'address', 'logo'].some((f) => fieldError(error, f)) ? <FormError error={error} /> : null}
      <SubmitButton busy={busy}>{t('common.save')}</SubmitButton>
      {saved ? (
        <span class="ok" role="status">
          {t('common.saved')}
        </span>
      ) : null}
    </form>
  );
}

/** Imports a signatory's own PKCS#12 certificate and key (POST /api/v1/users/{id}/signing-key). */
function Signatories() {
  const caps = useLoad(() => store.capabilities(), []);
  const has = caps.data?.has('POST', '/api/v1/users/{id}/signing-key') ?? false;
  const users = useLoad(() => (has ? store.client.get<User[]>('/api/v1/users') : Promise.resolve([])), [has]);
  if (caps.loading) return <Loading />;
  if (!has) return <Unavailable what={t('admin.sig.what')} />;
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

function KeyImport({ user }: { user: User }) {
  const idp = `sig-${user.id}`;
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState<SigningKey | null>(null);
  const l = lang.value;
  const errs = { file: fieldError(error, 'file'), password: fieldError(error, 'password'), passphrase: fieldError(error, 'passphrase') };
  const formLevel = error && !Object.values(errs).some(Boolean) ? error : null;
  const described = (name: keyof typeof errs, hint = false) => [hint ? `${idp}-${name}-hint` : '', errs[name] ? `${idp}-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <form
      class="card form"
      noValidate
      aria-labelledby={`${idp}-h`}
      onSubmit={async (e) => {
        e.preventDefault();
        setKey(null);
        if (!file) {
          setError(new ApiError(422, 'validation_failed', t('form.invalid'), { file: t('evidence.chooseFile') }));
          return;
        }
        setBusy(true);
        setError(null);
        try {
          const k = await store.client.upload<SigningKey>(`/api/v1/users/${user.id}/signing-key`, file, file.name, undefined, { password, passphrase }).promise;
          setKey(k);
          setPassword('');
          setPassphrase('');
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id={`${idp}-h`}>{t('admin.sig.import', { name: user.name })}</h2>
      <p class="hint sig-email">{user.email}</p>
      <div class={`field${errs.file ? ' has-error' : ''}`}>
        <label for={`${idp}-file`}>{t('admin.sig.file')}</label>
        <input
          id={`${idp}-file`}
          type="file"
          accept=".p12,.pfx,application/x-pkcs12"
          onChange={(e) => {
            setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
            setError(null);
          }}
          aria-invalid={errs.file ? 'true' : undefined}
          aria-describedby={described('file')}
        />
        {errs.file ? (
          <small id={`${idp}-file-error`} class="field-error">
            {errs.file}
          </small>
        ) : null}
      </div>
      <div class={`field${errs.password ? ' has-error' : ''}`}>
        <label for={`${idp}-password`}>{t('admin.sig.password')}</label>
        <input id={`${idp}-password`} type="password" autoComplete="off" value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} aria-invalid={errs.password ? 'true' : undefined} aria-describedby={described('password')} />
        {errs.password ? (
          <small id={`${idp}-password-error`} class="field-error">
            {errs.password}
          </small>
        ) : null}
      </div>
      <div class={`field${errs.passphrase ? ' has-error' : ''}`}>
        <label for={`${idp}-passphrase`}>{t('admin.sig.passphrase')}</label>
        <input id={`${idp}-passphrase`} type="password" autoComplete="new-password" value={passphrase} onInput={(e) => setPassphrase((e.currentTarget as HTMLInputElement).value)} aria-invalid={errs.passphrase ? 'true' : undefined} aria-describedby={described('passphrase', true)} />
        <small id={`${idp}-passphrase-hint`} class="hint">
          {t('admin.sig.passphraseHint')}
        </small>
        {errs.passphrase ? (
          <small id={`${idp}-passphrase-error`} class="field-error">
            {errs.passphrase}
          </small>
        ) : null}
      </div>
      <FormError error={formLevel} />
      <SubmitButton busy={busy}>{t('admin.sig.submit')}</SubmitButton>
      {key ? (
        <p class="ok cert" role="status">
          {t('admin.sig.done', { subject: key.subject ?? '—', date: fmtDate(key.not_after, l), fp: key.fingerprint })}
        </p>
      ) : null}
    </form>
  );
}
