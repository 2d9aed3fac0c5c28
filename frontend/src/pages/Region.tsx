import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { lang, statusLabel, t } from '../i18n';
import { ApiError, seg } from '../lib/api';
import { fmtDateTime, fmtInput, fmtNumber, fmtPercent, parseDecimal } from '../lib/format';
import { can, store } from '../lib/state';
import type { Area, Delegation, Evidence, HistoryEntry, Item, Region as RegionT, Summary } from '../lib/types';
import {
  Empty,
  ErrorNote,
  Field,
  FormError,
  Loading,
  PageHeader,
  StatusBadge,
  TextArea,
  YearSelect,
  ZoneChip,
  errorText,
  fieldError,
  SubmitButton,
  useLoad,
  useYear,
} from '../components/ui';
import { Dropzone, EvidenceList } from '../components/evidence';

interface RegionData {
  region: RegionT;
  items: Item[];
  areas: Area[];
  delegation: Delegation;
  summary: Summary | null;
}

async function loadRegion(year: number, code: string): Promise<RegionData> {
  const c = store.client;
  const base = `/api/v1/periods/${year}/regions/${seg(code)}`;
  const [regions, items, areas, delegation, summary] = await Promise.all([
    c.get<RegionT[]>('/api/v1/regions'),
    c.get<Item[]>(`${base}/items`),
    c.get<Area[]>(`/api/v1/periods/${year}/areas`),
    c.get<Delegation>(`${base}/delegation`),
    c.get<Summary>(`/api/v1/periods/${year}/summary`).catch(() => null),
  ]);
  const region = regions.find((r) => r.code === code);
  if (!region) throw new ApiError(404, 'not_found', t('region.notFound'));
  return { region, items, areas, delegation, summary };
}

export default function Region() {
  const { params } = useRoute();
  const code = params.code;
  const { year, ready, error } = useYear();
  const d = useLoad(() => (year ? loadRegion(year, code) : Promise.resolve(null)), [year, code]);
  if (error) return <ErrorNote error={error} />;
  if (!ready || (d.loading && !d.data)) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  if (d.error && !d.data) return <ErrorNote error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Loading />;
  return <RegionBody data={d.data} year={year} reload={d.reload} />;
}

function RegionBody({ data, year, reload }: { data: RegionData; year: number; reload: () => void }) {
  const { region, items, areas, delegation, summary } = data;
  const user = store.session.value;
  const writable = can.claim(user, region.code);
  const l = lang.value;
  const standing = summary?.regions.find((r) => r.code === region.code);
  const counts = { draft: 0, submitted: 0, approved: 0, rejected: 0 };
  for (const i of items) counts[i.status]++;
  const areaName = new Map(areas.map((a) => [a.code, a.name]));
  const groups = areas.map((a) => ({ area: a, items: items.filter((i) => i.area === a.code) }));
  const orphans = items.filter((i) => !areaName.has(i.area));
  if (orphans.length) groups.push({ area: { code: '?', name: t('region.otherArea'), weight: 0 }, items: orphans });

  return (
    <>
      <PageHeader title={region.name}>
        <YearSelect />
      </PageHeader>
      <section class="card standing" aria-label={t('region.standing')}>
        <dl class="figures">
          <div>
            <dt>{t('dash.col.verified')}</dt>
            <dd>{standing ? <ZoneChip zone={standing.action_plan.zone} percent={standing.action_plan.percent} /> : '—'}</dd>
          </div>
          <div>
            <dt>{t('dash.col.claimed')}</dt>
            <dd>{fmtPercent(standing?.action_plan.claimed_percent, l)}</dd>
          </div>
          <div>
            <dt>{t('dash.col.delegation')}</dt>
            <dd>
              <ZoneChip zone={delegation.zone} percent={delegation.percent} />
            </dd>
          </div>
          <div>
            <dt>{t('region.progress')}</dt>
            <dd data-testid="claim-progress">
              {t('region.progressText', { approved: counts.approved, total: items.length })}
              <progress class="meter" max={items.length || 1} value={counts.approved} aria-label={t('region.progress')} />
              <small>
                {statusLabel('submitted')}: {counts.submitted} · {statusLabel('rejected')}: {counts.rejected} · {statusLabel('draft')}: {counts.draft}
              </small>
            </dd>
          </div>
        </dl>
        {!writable ? <p class="hint">{t('region.readOnly')}</p> : null}
      </section>

      {groups.map((g) => (
        <section key={g.area.code} class="area" aria-labelledby={`area-${g.area.code}`}>
          <h2 id={`area-${g.area.code}`}>
            {g.area.name} <small>({g.area.code})</small>
          </h2>
          {g.items.length === 0 ? <Empty>{t('region.noItems')}</Empty> : null}
          {g.items.map((item) => (
            <ItemCard key={item.indicator_code} year={year} region={region.code} item={item} writable={writable} onChange={reload} />
          ))}
        </section>
      ))}
      <DelegationCard year={year} region={region.code} delegation={delegation} writable={writable} onChange={reload} />
    </>
  );
}

function ItemCard({
  year,
  region,
  item,
  writable,
  onChange,
}: {
  year: number;
  region: string;
  item: Item;
  writable: boolean;
  onChange: () => void;
}) {
  const l = lang.value;
  const base = `/api/v1/periods/${year}/regions/${seg(region)}/items/${seg(item.indicator_code)}`;
  const idp = `item-${item.indicator_code.replace(/[^\w-]/g, '_')}`;
  const [progress, setProgress] = useState(fmtInput(item.progress, l));
  const [note, setNote] = useState(item.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // Open state is the user's: a reload after a save never folds the card they work in.
  const [open, setOpen] = useState(item.status === 'rejected');

  async function claim(e: Event) {
    e.preventDefault();
    setSaved(false);
    const v = parseDecimal(progress);
    if (v === null) {
      setError(new ApiError(422, 'validation_failed', t('form.invalid'), { progress: t('form.number') }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await store.client.patch<Item>(base, { progress: v, note, version: item.version });
      setSaved(true);
      onChange();
    } catch (err) {
      setError(err); // what was typed stays in the form
    } finally {
      setBusy(false);
    }
  }
  const conflict = error instanceof ApiError && error.code === 'conflict';
  return (
    <details
      class={`item card status-${item.status}`}
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      data-indicator={item.indicator_code}
    >
      <summary>
        <span class="item-code">{item.indicator_code}</span>
        <span class="item-title">{item.title}</span>
        <span class="item-figures">
          <StatusBadge status={item.status} />
          <span>
            {t('item.claimed')}: {fmtPercent(item.progress, l)}
          </span>
          <span>
            {t('item.verified')}: {fmtPercent(item.verified_progress, l)}
          </span>
        </span>
      </summary>
      <div class="item-body">
        <p class="hint">
          {t('item.weight')}: {fmtNumber(item.weight, l)}
          {item.updated_at ? ` · ${t('item.updated')}: ${fmtDateTime(item.updated_at, l)}` : ''}
        </p>
        {item.note ? (
          <p>
            <strong>{t('item.note')}:</strong> {item.note}
          </p>
        ) : null}
        {item.last_review ? (
          <div class={`review-note ${item.last_review.decision}`} role={item.status === 'rejected' ? 'note' : undefined}>
            <strong>{item.last_review.decision === 'reject' ? t('item.rejectedBecause') : t('item.approvedNote')}</strong>{' '}
            {item.last_review.comment || '—'}
            <small>
              {' '}
              — {item.last_review.reviewer}, {fmtDateTime(item.last_review.created_at, l)}
            </small>
          </div>
        ) : null}
        <h3>{t('item.evidence')}</h3>
        <EvidenceList evidence={item.evidence} replacePath={writable ? `${base}/evidence` : undefined} onReplaced={() => onChange()} />
        {writable ? <Dropzone id={`${idp}-file`} path={`${base}/evidence`} onUploaded={(_e: Evidence) => onChange()} /> : null}
        {writable ? (
          <form class="claim-form" onSubmit={claim} noValidate>
            <h3>{t('item.claimTitle')}</h3>
            <div class="row">
              <Field
                id={`${idp}-progress`}
                label={t('item.progressLabel')}
                inputMode="decimal"
                value={progress}
                onValue={setProgress}
                error={fieldError(error, 'progress')}
                hint={t('item.progressHint')}
              />
            </div>
            <TextArea id={`${idp}-note`} label={t('item.noteLabel')} value={note} onValue={setNote} error={fieldError(error, 'note')} />
            {error && !fieldError(error, 'progress') && !fieldError(error, 'note') ? <FormError error={error} /> : null}
            {conflict ? (
              <button type="button" class="link" onClick={onChange}>
                {t('common.reloadLatest')}
              </button>
            ) : null}
            <SubmitButton busy={busy}>{t('item.submitClaim')}</SubmitButton>
            {saved ? (
              <span class="ok" role="status">
                {t('item.claimSaved')}
              </span>
            ) : null}
          </form>
        ) : null}
        <History year={year} region={region} item={item} />
      </div>
    </details>
  );
}

/** An item's history: the API's own when it has one, else what the item itself records. */
function History({ year, region, item }: { year: number; region: string; item: Item }) {
  const [open, setOpen] = useState(false);
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const l = lang.value;
  useEffect(() => {
    if (!open) return;
    let live = true;
    (async () => {
      const caps = await store.capabilities().catch(() => null);
      if (caps?.has('GET', '/api/v1/periods/{year}/regions/{code}/items/{indicator}/history')) {
        const h = await store.client.get<HistoryEntry[]>(
          `/api/v1/periods/${year}/regions/${seg(region)}/items/${seg(item.indicator_code)}/history`,
        );
        if (live) setEntries(h);
      } else if (live) {
        setEntries(fallbackHistory(item));
      }
    })().catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [open, item.version, item.evidence.length]);
  return (
    <details class="history" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('history.title')}</summary>
      {error ? <p class="field-error">{errorText(error)}</p> : null}
      {open && !entries && !error ? <p class="loading">{t('common.loading')}</p> : null}
      {entries && entries.length === 0 ? <p class="empty">{t('history.none')}</p> : null}
      {entries && entries.length > 0 ? (
        <ol class="timeline">
          {entries.map((h) => (
            <li key={h.seq}>
              <time dateTime={h.at}>{fmtDateTime(h.at, l)}</time> <span>{describe(h)}</span>
              {h.actor ? <small> — {h.actor}</small> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </details>
  );
}

function fallbackHistory(item: Item): HistoryEntry[] {
  const out: HistoryEntry[] = item.evidence.map((e, i) => ({
    seq: i + 1,
    at: e.uploaded_at,
    actor: '',
    action: 'evidence_upload',
    before: null,
    after: { filename: e.filename },
  }));
  if (item.updated_at && item.status !== 'draft') {
    out.push({ seq: 1000, at: item.updated_at, actor: '', action: 'claim', before: null, after: { progress: item.progress } });
  }
  if (item.last_review) {
    const r = item.last_review;
    out.push({
      seq: 1001,
      at: r.created_at,
      actor: r.reviewer,
      action: 'review',
      before: null,
      after: { decision: r.decision, verified_progress: r.verified_progress, comment: r.comment },
    });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

function describe(h: HistoryEntry): string {
  const a = (h.after ?? {}) as Record<string, unknown>;
  const l = lang.value;
  const pct = (v: unknown) => fmtPercent(typeof v === 'number' ? v : Number(v), l);
  switch (h.action) {
    case 'claim':
      return t('history.claim', { progress: pct(a.progress) });
    case 'review':
      return a.decision === 'reject'
        ? t('history.reject', { comment: String(a.comment ?? '') })
        : t('history.approve', { verified: pct(a.verified_progress) });
    case 'evidence_upload':
      return t('history.upload', { name: String(a.filename ?? '') });
    default:
      return h.action;
  }
}

function DelegationCard({
  year,
  region,
  delegation,
  writable,
  onChange,
}: {
  year: number;
  region: string;
  delegation: Delegation;
  writable: boolean;
  onChange: () => void;
}) {
  const l = lang.value;
  const [total, setTotal] = useState(delegation.total === null ? '' : String(delegation.total));
  const [delegated, setDelegated] = useState(delegation.delegated === null ? '' : String(delegation.delegated));
  const [basis, setBasis] = useState(delegation.legal_basis ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function save(e: Event) {
    e.preventDefault();
    setSaved(false);
    const tv = parseDecimal(total);
    const dv = parseDecimal(delegated);
    const local: Record<string, string> = {};
    if (tv === null || !Number.isInteger(tv)) local.total = t('form.integer');
    if (dv === null || !Number.isInteger(dv)) local.delegated = t('form.integer');
    if (Object.keys(local).length) {
      setError(new ApiError(422, 'validation_failed', t('form.invalid'), local));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await store.client.put<Delegation>(`/api/v1/periods/${year}/regions/${seg(region)}/delegation`, {
        total: tv,
        delegated: dv,
        legal_basis: basis,
        version: delegation.version || undefined,
      });
      setSaved(true);
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const fieldsKnown = ['total', 'delegated', 'legal_basis'].some((f) => fieldError(error, f));
  return (
    <section class="card delegation" aria-labelledby="delegation-h">
      <h2 id="delegation-h">{t('delegation.title')}</h2>
      <p>
        <ZoneChip zone={delegation.zone} percent={delegation.percent} />{' '}
        {delegation.total !== null
          ? t('delegation.summary', { delegated: fmtNumber(delegation.delegated, l, 0), total: fmtNumber(delegation.total, l, 0) })
          : t('delegation.none')}
      </p>
      {delegation.legal_basis ? (
        <p>
          <strong>{t('delegation.basis')}:</strong> {delegation.legal_basis}
        </p>
      ) : null}
      <p class="hint">{t('delegation.basisHelp')}</p>
      {writable ? (
        <form onSubmit={save} noValidate class="form">
          <div class="row">
            <Field id="del-total" label={t('delegation.total')} inputMode="numeric" value={total} onValue={setTotal} error={fieldError(error, 'total')} />
            <Field
              id="del-delegated"
              label={t('delegation.delegated')}
              inputMode="numeric"
              value={delegated}
              onValue={setDelegated}
              error={fieldError(error, 'delegated')}
            />
          </div>
          <Field
            id="del-basis"
            label={t('delegation.basis')}
            value={basis}
            onValue={setBasis}
            error={fieldError(error, 'legal_basis')}
            placeholder={t('delegation.basisPlaceholder')}
          />
          {error && !fieldsKnown ? <FormError error={error} /> : null}
          <SubmitButton busy={busy}>{t('common.save')}</SubmitButton>
          {saved ? (
            <span class="ok" role="status">
              {t('common.saved')}
            </span>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
