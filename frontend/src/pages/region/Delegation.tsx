// A Pemda's delegation of licensing authority to its DPMPTSP for a year: the figures, the
// regulation (named, and its text and annex as files), and — for those who may write — either
// the counts, or the list of permit types within the Pemda's authority from which they follow.
import { useState } from 'preact/hooks';
import { lang, t } from '../../i18n';
import { ok, type Schemas } from '../../lib/api';
import { fmtNumber, parseDecimal } from '../../lib/format';
import { store } from '../../lib/state';
import type { Delegation } from '../../lib/types';
import { Field, FormError, OkNote, SubmitButton, ZoneChip, fieldError } from '../../components/ui';
import { FieldMessage, invalid, namesAny, useSubmit } from '../../components/form';
import { DelegationDocuments } from './DelegationDocuments';

type Permit = Schemas['DelegationPermit'];
type Mode = 'counts' | 'list';

interface Props {
  year: number;
  region: string;
  delegation: Delegation;
  writable: boolean;
  onChange: () => void;
}

export function DelegationCard({ year, region, delegation, writable, onChange }: Props) {
  const l = lang.value;
  const [mode, setMode] = useState<Mode>(delegation.from_list ? 'list' : 'counts');
  return (
    <section class="card delegation" aria-labelledby="delegation-h">
      <h2 id="delegation-h">{t('delegation.title')}</h2>
      <p>
        <ZoneChip zone={delegation.zone} percent={delegation.percent} />{' '}
        {delegation.total !== null
          ? t(delegation.from_list ? 'delegation.summaryList' : 'delegation.summary', { delegated: fmtNumber(delegation.delegated, l, 0), total: fmtNumber(delegation.total, l, 0) })
          : t('delegation.none')}
      </p>
      {delegation.legal_basis ? (
        <p>
          <strong>{t('delegation.basis')}:</strong> {delegation.legal_basis}
        </p>
      ) : null}
      <p class="hint">{t('delegation.basisHelp')}</p>
      <DelegationDocuments year={year} region={region} current={delegation.documents} writable={writable} onChange={onChange} />
      {delegation.from_list && !(writable && mode === 'list') ? <PermitTable permits={delegation.permits} /> : null}
      {writable ? (
        <>
          <div class="segmented" role="group" aria-label={t('delegation.mode')}>
            {(['counts', 'list'] as Mode[]).map((m) => (
              <button key={m} type="button" aria-pressed={mode === m} onClick={() => setMode(m)}>
                {t(m === 'counts' ? 'delegation.modeCounts' : 'delegation.modeList')}
              </button>
            ))}
          </div>
          {mode === 'list' ? (
            <PermitsForm year={year} region={region} delegation={delegation} onChange={onChange} />
          ) : delegation.from_list ? (
            <DropList year={year} region={region} delegation={delegation} onChange={onChange} />
          ) : (
            <CountsForm year={year} region={region} delegation={delegation} onChange={onChange} />
          )}
        </>
      ) : null}
    </section>
  );
}

/** The list as it stands, for reading. */
function PermitTable({ permits }: { permits: Permit[] }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={t('delegation.permits')}>
      <table class="permits" data-testid="permit-table">
        <thead>
          <tr>
            <th scope="col">{t('delegation.permit')}</th>
            <th scope="col">{t('delegation.permitDelegated')}</th>
            <th scope="col">{t('delegation.permitRegulation')}</th>
          </tr>
        </thead>
        <tbody>
          {permits.map((p) => (
            <tr key={p.name}>
              <th scope="row">{p.name}</th>
              <td>{p.delegated ? t('delegation.yes') : t('delegation.notYet')}</td>
              <td>{p.regulation || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const sendCounts = (year: number, region: string) => ({ params: { path: { year, code: region } } });

/** The counts set by hand: how many authorities, how many delegated, and by which regulation. */
function CountsForm({ year, region, delegation, onChange }: Omit<Props, 'writable'>) {
  const [total, setTotal] = useState(delegation.total === null ? '' : String(delegation.total));
  const [delegated, setDelegated] = useState(delegation.delegated === null ? '' : String(delegation.delegated));
  const [basis, setBasis] = useState(delegation.legal_basis ?? '');
  const form = useSubmit(
    async () => {
      const tv = parseDecimal(total);
      const dv = parseDecimal(delegated);
      const local: Record<string, string> = {};
      if (tv === null || !Number.isInteger(tv)) local.total = t('form.integer');
      if (dv === null || !Number.isInteger(dv)) local.delegated = t('form.integer');
      if (Object.keys(local).length) invalid(local);
      await ok(
        store.api.PUT('/api/v1/periods/{year}/regions/{code}/delegation', {
          ...sendCounts(year, region),
          body: { total: tv!, delegated: dv!, legal_basis: basis, version: delegation.version || undefined },
        }),
      );
    },
    { onDone: onChange, focus: { fields: ['total', 'delegated', 'legal_basis'], id: (f) => ({ total: 'del-total', delegated: 'del-delegated', legal_basis: 'del-basis' })[f] ?? f } },
  );
  const error = form.error;
  return (
    <form onSubmit={form.submit} noValidate class="form">
      <div class="row">
        <Field id="del-total" label={t('delegation.total')} inputMode="numeric" value={total} onValue={setTotal} error={fieldError(error, 'total')} />
        <Field id="del-delegated" label={t('delegation.delegated')} inputMode="numeric" value={delegated} onValue={setDelegated} error={fieldError(error, 'delegated')} />
      </div>
      <Field id="del-basis" label={t('delegation.basis')} value={basis} onValue={setBasis} error={fieldError(error, 'legal_basis')} placeholder={t('delegation.basisPlaceholder')} />
      {error && !namesAny(error, ['total', 'delegated', 'legal_basis']) ? <FormError error={error} /> : null}
      <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
      {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
    </form>
  );
}

/** While a list holds, counts follow from it: removing the list (its counts stay) frees them. */
function DropList({ year, region, delegation, onChange }: Omit<Props, 'writable'>) {
  const form = useSubmit(() => ok(store.api.PUT('/api/v1/periods/{year}/regions/{code}/delegation/permits', { ...sendCounts(year, region), body: { permits: [], version: delegation.version } })), {
    onDone: onChange,
  });
  return (
    <div class="form">
      <p class="notice">{t('delegation.fromListNote')}</p>
      {form.error ? <FormError error={form.error} /> : null}
      <button type="button" disabled={form.busy} onClick={() => form.run()}>
        {t('delegation.dropList')}
      </button>
    </div>
  );
}

interface Row extends Permit {
  /** a key that stays with the row while rows above it are added or removed */
  key: number;
}

let nextKey = 1;
const rowOf = (p: Permit): Row => ({ ...p, key: nextKey++ });
const blank = (): Row => rowOf({ name: '', delegated: false, regulation: '' });

/** The list of permit types: one row each, delegated or not, and where the regulation lists it. */
function PermitsForm({ year, region, delegation, onChange }: Omit<Props, 'writable'>) {
  const [rows, setRows] = useState<Row[]>(() => (delegation.permits.length ? delegation.permits.map(rowOf) : [blank()]));
  const [basis, setBasis] = useState(delegation.legal_basis ?? '');
  const set = (key: number, patch: Partial<Permit>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const form = useSubmit(
    () => {
      // rows left wholly empty are not permits: they are dropped, not refused
      const permits = rows.filter((r) => r.name.trim() || r.regulation.trim()).map(({ name, delegated, regulation }) => ({ name, delegated, regulation }));
      if (!permits.length) invalid({ 'permits.0.name': t('delegation.listEmpty') });
      return ok(
        store.api.PUT('/api/v1/periods/{year}/regions/{code}/delegation/permits', {
          ...sendCounts(year, region),
          body: { permits, legal_basis: basis, version: delegation.version },
        }),
      );
    },
    { onDone: onChange },
  );
  const error = form.error;
  const delegatedCount = rows.filter((r) => r.delegated && r.name.trim()).length;
  const named = rows.filter((r) => r.name.trim()).length;
  const rowFields = rows.flatMap((_, i) => [`permits.${i}.name`, `permits.${i}.regulation`]);
  return (
    <form onSubmit={form.submit} noValidate class="form permits-form" data-testid="permits-form">
      <p class="hint">{t('delegation.listHelp')}</p>
      <ol class="permit-rows">
        {rows.map((r, i) => {
          const nameErr = fieldError(error, `permits.${i}.name`);
          const regErr = fieldError(error, `permits.${i}.regulation`);
          const id = `permit-${r.key}`;
          return (
            <li key={r.key} class={nameErr || regErr ? 'has-error' : undefined} data-permit={i}>
              <div class="field permit-name">
                <label for={`${id}-name`}>{t('delegation.permitN', { n: i + 1 })}</label>
                <input id={`${id}-name`} value={r.name} onInput={(e) => set(r.key, { name: (e.currentTarget as HTMLInputElement).value })} aria-invalid={nameErr ? 'true' : undefined} aria-describedby={nameErr ? `${id}-name-error` : undefined} />
                <FieldMessage id={`${id}-name-error`} error={nameErr} />
              </div>
              <label class="check permit-delegated">
                <input type="checkbox" checked={r.delegated} onChange={(e) => set(r.key, { delegated: (e.currentTarget as HTMLInputElement).checked })} /> {t('delegation.permitDelegated')}
              </label>
              <div class="field permit-regulation">
                <label for={`${id}-regulation`}>{t('delegation.permitRegulation')}</label>
                <input id={`${id}-regulation`} value={r.regulation} placeholder={t('delegation.regulationPlaceholder')} onInput={(e) => set(r.key, { regulation: (e.currentTarget as HTMLInputElement).value })} aria-invalid={regErr ? 'true' : undefined} aria-describedby={regErr ? `${id}-regulation-error` : undefined} />
                <FieldMessage id={`${id}-regulation-error`} error={regErr} />
              </div>
              <button type="button" class="small" aria-label={t('delegation.removePermit', { name: r.name || String(i + 1) })} onClick={() => setRows((rs) => (rs.length > 1 ? rs.filter((x) => x.key !== r.key) : [blank()]))}>
                {t('delegation.remove')}
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => setRows((rs) => [...rs, blank()])}>
        {t('delegation.addPermit')}
      </button>
      <p class="hint" role="status">
        {t('delegation.listCount', { delegated: fmtNumber(delegatedCount, lang.value, 0), total: fmtNumber(named, lang.value, 0) })}
      </p>
      <Field id="del-list-basis" label={t('delegation.basis')} value={basis} onValue={setBasis} error={fieldError(error, 'legal_basis')} placeholder={t('delegation.basisPlaceholder')} />
      {error && !namesAny(error, [...rowFields, 'legal_basis']) ? <FormError error={error} /> : null}
      <SubmitButton busy={form.busy}>{t('delegation.saveList')}</SubmitButton>
      {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
    </form>
  );
}
