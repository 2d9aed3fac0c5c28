import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { lang, statusLabel, t, zoneLabel } from '../i18n';
import { ApiError, ok } from '../lib/api';
import { fmtDateTime, fmtInput, fmtNumber, fmtPercent, parseDecimal, todayWIB } from '../lib/format';
import { can, store } from '../lib/state';
import { regionRead } from '../lib/region';
import type { Area, Delegation, HistoryEntry, Item, Period, Region as RegionT, RegionSummary, Summary } from '../lib/types';
import type { Schemas } from '../lib/api';
import {
  Empty,
  ErrorNote,
  Field,
  FormError,
  Loading,
  PageHeader,
  Progressive,
  StatusBadge,
  TextArea,
  YearSelect,
  ZoneChip,
  errorText,
  fieldError,
  SubmitButton,
  useLoad,
  useYear,
  OkNote,
} from '../components/ui';
import { Dropzone, EvidenceList, type ItemRef } from '../components/evidence';
import { ExportMenu } from '../components/exports';
import { Discussion, canDiscuss } from '../components/discussion';
import { DelegationCard } from './region/Delegation';
import { ZoneExplanation, useExplanation } from './region/Explanation';
import { RemediationPlan } from './region/Remediation';
import { invalid, isStale, namesAny, useSubmit } from '../components/form';

interface RegionData {
  region: RegionT;
  items: Item[];
  areas: Area[];
  delegation: Delegation;
  summary: Summary | null;
  period: Period | null;
  extension: Schemas['Extension'] | null;
  trend: Schemas['TrendPoint'][];
}

/** Why the period refuses writes for this region today, or null: closed, or past the deadline without an extension covering today. */
function lockReason(period: Period | null, extension: Schemas['Extension'] | null): string | null {
  if (!period) return null;
  if (period.status === 'closed') return t('region.closed', { year: period.year });
  const today = todayWIB();
  if (period.deadline && today > period.deadline && !(extension && today <= extension.until)) {
    return t('region.deadlinePassed', { date: period.deadline });
  }
  return null;
}

async function loadRegion(year: number, code: string): Promise<RegionData> {
  // The period is the one the list the year was picked from holds (no request of its own).
  const period = store.periods.value?.find((p) => p.year === year) ?? null;
  const [items, areas, delegation, summary, extensions, trend] = await Promise.all([
    regionRead(code, 'items', year),
    regionRead(code, 'areas', year),
    regionRead(code, 'delegation', year),
    regionRead(code, 'standing', year).catch(() => null),
    regionRead(code, 'extensions', year).catch(() => []),
    regionRead(code, 'trend', year).catch(() => []),
  ]);
  // The region's name and kind come with its standing in its province's summary; the list of every region
  // is asked for only when the summary cannot say (one request fewer for the page).
  const standing = summary?.regions.find((r) => r.code === code);
  const region = standing ? { code, name: standing.name, kind: standing.kind } : (await ok(store.api.GET('/api/v1/regions'))).find((r) => r.code === code);
  if (!region) throw new ApiError(404, 'not_found', t('region.notFound'));
  const extension = extensions.find((e) => e.region_code === code) ?? null;
  return { region, items, areas, delegation, summary, period, extension, trend };
}

export default function Region() {
  const { params, query } = useRoute();
  const code = params.code;
  // A link into one item (a notification's): its year is chosen, then the item opened.
  const linkedYear = Number(query.year);
  useEffect(() => {
    if (Number.isInteger(linkedYear) && linkedYear > 0 && store.year.value !== linkedYear) store.year.value = linkedYear;
  }, [linkedYear]);
  const { year, ready, error } = useYear();
  const d = useLoad(() => (year ? loadRegion(year, code) : Promise.resolve(null)), [year, code]);
  if (error) return <ErrorNote error={error} />;
  if (!ready || (d.loading && !d.data)) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  if (d.error && !d.data) return <ErrorNote error={d.error} onRetry={d.reload} />;
  if (!d.data) return <Loading />;
  return <RegionBody data={d.data} year={year} reload={d.reload} focus={query.item} />;
}

function RegionBody({ data, year, reload, focus }: { data: RegionData; year: number; reload: () => void; focus?: string }) {
  const { region, items, areas, delegation, summary, period, extension, trend } = data;
  const user = store.session.value;
  const lock = lockReason(period, extension);
  const allowed = can.claim(user, region.code);
  const writable = allowed && !lock;
  const l = lang.value;
  const standing = summary?.regions.find((r) => r.code === region.code);
  const explanation = useExplanation(year, region.code);
  const counts: Record<string, number> = { draft: 0, submitted: 0, approved: 0, rejected: 0, not_applicable_pending: 0, not_applicable: 0 };
  for (const i of items) counts[i.status]++;
  const areaName = new Map(areas.map((a) => [a.code, a.name]));
  const outside = items.filter(notApplicable);
  const counted = items.filter((i) => !notApplicable(i));
  const groups = areas.map((a) => ({ area: a, items: counted.filter((i) => i.area === a.code) }));
  const orphans = counted.filter((i) => !areaName.has(i.area));
  if (orphans.length) groups.push({ area: { code: '?', name: t('region.otherArea'), weight: 0, version: 0 }, items: orphans });

  // What follows the explanation waits until it has loaded, so that its card, however long,
  // moves nothing shown.
  const afterExplanation = explanation.loading
    ? []
    : [
        <ZoneExplanation key="explanation" e={explanation.data} />,
        <RemediationPlan key="remediation" year={year} region={region.code} writable={writable} />,
        ...groups.map((g) => (
          <section key={g.area.code} class="area later" style={{ '--rows': String(g.items.length) }} aria-labelledby={`area-${g.area.code}`}>
            <div class="section-head">
              <h2 id={`area-${g.area.code}`}>
                {g.area.name} <small>({g.area.code})</small>
              </h2>
              <AreaStanding figure={standing?.areas.find((a) => a.code === g.area.code)} />
            </div>
            {g.items.length === 0 ? <Empty>{t('region.noItems')}</Empty> : null}
            {byParent(g.items).map((p) =>
              p.parent ? (
                <div key={p.parent} class="indicator-group" data-parent={p.parent}>
                  <h3 class="indicator-title">
                    <span class="item-code">{p.parent}</span> {p.title}
                  </h3>
                  {p.items.map((item) => (
                    <ItemCard key={item.indicator_code} year={year} region={region.code} item={item} writable={writable} focused={item.indicator_code === focus} onChange={reload} />
                  ))}
                </div>
              ) : (
                p.items.map((item) => <ItemCard key={item.indicator_code} year={year} region={region.code} item={item} writable={writable} focused={item.indicator_code === focus} onChange={reload} />)
              ),
            )}
          </section>
        )),
        outside.length ? (
          <section key="outside" class="area outside" aria-labelledby="outside-h" data-testid="not-applicable">
            <h2 id="outside-h">{t('region.notApplicable')}</h2>
            <p class="hint">{t('region.notApplicableHint')}</p>
            {outside.map((item) => (
              <ItemCard key={item.indicator_code} year={year} region={region.code} item={item} writable={writable} focused={item.indicator_code === focus} onChange={reload} />
            ))}
          </section>
        ) : null,
        <DelegationCard key="delegation" year={year} region={region.code} delegation={delegation} writable={writable} onChange={reload} />,
      ];
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
          <div class="wide">
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
        {lock ? (
          <p class="locked" role="note" data-testid="locked">
            {lock} {allowed ? t('region.lockedWrites') : ''}
          </p>
        ) : null}
        {!allowed ? <p class="hint">{t('region.readOnly')}</p> : null}
        <div class="exports">
          <ExportMenu year={year} table="items" filter={{ region: region.code }} label={t('export.items')} />
          <ExportMenu year={year} table="delegation" filter={{ region: region.code }} label={t('export.delegation')} />
          {writable ? (
            <p class="hint import-hint">
              {t('region.importHint')} <a href={`/import?kind=claims`}>{t('region.importLink')}</a>
            </p>
          ) : null}
        </div>
        {period?.status === 'open' && period.deadline && !lock ? (
          <p class="hint" data-testid="deadline">
            {t('region.deadline', { date: extension ? extension.until : period.deadline })}
          </p>
        ) : null}
      </section>

      {/* The rest a frame at a time after the first screen (the standing) has painted: the
          trend, the zone's explanation and the remediation plan, then the areas (a Pemda has a
          hundred items; each is laid out and painted only when scrolled near, class "later");
          the delegation card comes last, below them, so nothing shown moves. */}
      <Progressive
        parts={[
          <Trend key="trend" points={trend} />,
          ...afterExplanation,
        ]}
      />
    </>
  );
}

/** Items that count for nothing: confirmed outside the Pemda's authority, or not applying to its kind. */
const notApplicable = (i: Item) => i.status === 'not_applicable' || i.applicability === 'confirmed' || i.applicability === 'catalogue';

/** An area's leaves grouped under their indicator, in the catalogue's order; leaves that are indicators stand alone. */
function byParent(items: Item[]): { parent: string | null; title: string; items: Item[] }[] {
  const out: { parent: string | null; title: string; items: Item[] }[] = [];
  for (const i of items) {
    const last = out.at(-1);
    if (i.parent && last?.parent === i.parent) last.items.push(i);
    else out.push({ parent: i.parent ?? null, title: i.parent_title ?? '', items: [i] });
  }
  return out;
}

/** The region's figures over every year, oldest first: a small bar chart with the numbers beside it. */
function Trend({ points }: { points: Schemas['TrendPoint'][] }) {
  const l = lang.value;
  if (points.length < 2) return null;
  return (
    <section class="card trend" aria-labelledby="trend-h" data-testid="trend">
      <h2 id="trend-h">{t('region.trend')}</h2>
      <ol class="bars">
        {points.map((p) => (
          <li key={p.year} data-year={p.year}>
            <span class="bar-name">{p.year}</span>
            <span class="bar-track" aria-hidden="true">
              <span class={`bar-fill zone-${p.action_plan.zone}`} style={{ width: `${Math.max(0, Math.min(100, p.action_plan.percent ?? 0))}%` }} />
            </span>
            <span class="bar-value">
              {fmtPercent(p.action_plan.percent, l)} <span class="bar-zone">{zoneLabel(p.action_plan.zone)}</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A region's verified figure in one area, as the summary gives it (with the claimed one beside it). */
function AreaStanding({ figure }: { figure: RegionSummary['areas'][number] | undefined }) {
  if (!figure) return null;
  return (
    <p class="area-standing" data-testid="area-standing">
      <ZoneChip zone={figure.zone} percent={figure.percent} />{' '}
      <span class="hint">
        {t('item.claimed')}: {fmtPercent(figure.claimed_percent, lang.value)}
      </span>
    </p>
  );
}

function ItemCard({
  year,
  region,
  item,
  writable,
  focused = false,
  onChange,
}: {
  year: number;
  region: string;
  item: Item;
  writable: boolean;
  /** the item a link pointed at (?item=): open, and scrolled to */
  focused?: boolean;
  onChange: () => void;
}) {
  const l = lang.value;
  const ref: ItemRef = { year, code: region, indicator: item.indicator_code };
  const card = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (focused) card.current?.scrollIntoView({ block: 'start' });
  }, [focused]);
  const idp = `item-${item.indicator_code.replace(/[^\w-]/g, '_')}`;
  const [progress, setProgress] = useState(fmtInput(item.progress, l));
  const [note, setNote] = useState(item.note ?? '');
  const form = useSubmit(
    async () => {
      const v = parseDecimal(progress);
      if (v === null) invalid({ progress: t('form.number') });
      await ok(store.api.PATCH('/api/v1/periods/{year}/regions/{code}/items/{indicator}', { params: { path: ref }, body: { progress: v, note, version: item.version } }));
    },
    { onDone: onChange, focus: { fields: ['progress', 'note'], id: (f) => `${idp}-${f}` } },
  );
  // Open state is the user's: a reload after a save never folds the card they work in.
  const [open, setOpen] = useState(item.status === 'rejected' || focused);
  const error = form.error;
  // The last verdict is shown while it stands: a rejection's reason goes once the claim is
  // sent again (the history keeps it).
  const verdict = item.last_review && ((item.status === 'rejected' && item.last_review.decision === 'reject') || (item.status === 'approved' && item.last_review.decision === 'approve')) ? item.last_review : null;
  const conflict = isStale(error);
  return (
    <details
      ref={card}
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
          {notApplicable(item) ? null : (
            <>
              <span>
                {t('item.claimed')}: {fmtPercent(item.progress, l)}
              </span>
              <span>
                {t('item.verified')}: {fmtPercent(item.verified_progress, l)}
              </span>
            </>
          )}
        </span>
      </summary>
      {/* A closed card's body is not built: a Pemda has a hundred items, and most stay closed. */}
      {open ? (
        <div class="item-body">
          <p class="hint">
            {t('item.weight')}: {fmtNumber(item.weight, l)}
            {item.updated_at ? ` · ${t('item.updated')}: ${fmtDateTime(item.updated_at, l)}` : ''}
          </p>
          {item.requirement ? (
            <p class="requirement" data-testid="requirement">
              <strong>{t('item.requirement')}:</strong> {item.requirement}
            </p>
          ) : null}
          {item.applicability_reason && item.applicability !== 'applicable' ? (
            <p class="na-reason" data-testid="na-reason">
              <strong>{t(item.applicability === 'catalogue' ? 'item.naCatalogue' : 'item.naReason')}:</strong> {item.applicability_reason}
            </p>
          ) : null}
          {item.note ? (
            <p>
              <strong>{t('item.note')}:</strong> {item.note}
            </p>
          ) : null}
          {verdict ? (
            <div class={`review-note ${verdict.decision}`} role={item.status === 'rejected' ? 'note' : undefined}>
              <strong>{verdict.decision === 'reject' ? t('item.rejectedBecause') : t('item.approvedNote')}</strong> {verdict.comment || '—'}
              <small>
                {' '}
                — {verdict.reviewer}, {fmtDateTime(verdict.created_at, l)}
              </small>
            </div>
          ) : null}
          <h3>{t('item.evidence')}</h3>
          <EvidenceList evidence={item.evidence} status={item.status} item={writable ? ref : undefined} onReplaced={() => onChange()} />
          {writable ? (
            <Dropzone id={`${idp}-file`} item={ref} version={item.version} status={item.status} verified={fmtPercent(item.verified_progress, l)} onUploaded={() => onChange()} />
          ) : null}
          {writable && item.applicability !== 'catalogue' ? <Applicability ref_={ref} item={item} idp={idp} onChange={onChange} /> : null}
          {writable && item.applicability === 'applicable' ? (
            <form class="claim-form" onSubmit={form.submit} noValidate>
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
              {error && !namesAny(error, ['progress', 'note']) ? <FormError error={error} /> : null}
              {conflict ? (
                <button type="button" class="link" onClick={onChange}>
                  {t('common.reloadLatest')}
                </button>
              ) : null}
              <p class="hint">{t(item.status === 'submitted' ? 'item.claimHintWaiting' : 'item.claimHint')}</p>
              <SubmitButton busy={form.busy}>{t('item.submitClaim')}</SubmitButton>
              {form.done ? <OkNote>{t('item.claimSaved')}</OkNote> : null}
            </form>
          ) : null}
          {canDiscuss(store.session.value, region) ? <Discussion at={ref} /> : null}
          <History year={year} region={region} item={item} />
        </div>
      ) : null}
    </details>
  );
}

/**
 * Outside this Pemda's authority: an operator marks the item not applicable with a reason (then
 * uploads the regulation above as evidence); a reviewer decides. A pending or confirmed mark can be withdrawn.
 */
function Applicability({ ref_, item, idp, onChange }: { ref_: ItemRef; item: Item; idp: string; onChange: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const marked = item.applicability === 'pending' || item.applicability === 'confirmed';
  const form = useSubmit(
    async () => {
      if (!marked && !reason.trim()) invalid({ reason: t('form.required') });
      await ok(
        store.api.PUT('/api/v1/periods/{year}/regions/{code}/items/{indicator}/applicability', {
          params: { path: ref_ },
          body: marked ? { applicable: true } : { applicable: false, reason: reason.trim() },
        }),
      );
    },
    { onDone: () => { setOpen(false); onChange(); }, focus: { fields: ['reason'], id: () => `${idp}-na-reason` } },
  );
  if (marked) {
    return (
      <form class="na-form" onSubmit={form.submit} noValidate>
        <p class="hint">{t(item.applicability === 'pending' ? 'item.naPendingHint' : 'item.naConfirmedHint')}</p>
        {form.error ? <FormError error={form.error} /> : null}
        <button type="submit" class="secondary" disabled={form.busy}>
          {t('item.naWithdraw')}
        </button>
      </form>
    );
  }
  if (!open) {
    return (
      <p class="na-open">
        <button type="button" class="link" onClick={() => setOpen(true)}>
          {t('item.naMark')}
        </button>
      </p>
    );
  }
  return (
    <form class="na-form" onSubmit={form.submit} noValidate>
      <h3>{t('item.naMark')}</h3>
      <TextArea id={`${idp}-na-reason`} label={t('item.naReasonLabel')} value={reason} onValue={setReason} error={fieldError(form.error, 'reason')} />
      <p class="hint">{t('item.naHint')}</p>
      {form.error && !namesAny(form.error, ['reason']) ? <FormError error={form.error} /> : null}
      <SubmitButton busy={form.busy}>{t('item.naSend')}</SubmitButton>{' '}
      <button type="button" class="link" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
    </form>
  );
}

/** An item's history (GET …/history), read when it is opened. */
function History({ year, region, item }: { year: number; region: string; item: Item }) {
  const [open, setOpen] = useState(false);
  const l = lang.value;
  const h = useLoad(
    () => (open ? ok(store.api.GET('/api/v1/periods/{year}/regions/{code}/items/{indicator}/history', { params: { path: { year, code: region, indicator: item.indicator_code } } })) : Promise.resolve(null)),
    [open, item.version, item.evidence.length],
  );
  const entries = h.data;
  return (
    <details class="history" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{t('history.title')}</summary>
      {h.error ? <p class="field-error">{errorText(h.error)}</p> : null}
      {open && !entries && !h.error ? <p class="loading">{t('common.loading')}</p> : null}
      {entries && entries.length === 0 ? <p class="empty">{t('history.none')}</p> : null}
      {entries && entries.length > 0 ? (
        <ol class="timeline">
          {entries.map((x) => (
            <li key={x.seq}>
              <time dateTime={x.at}>{fmtDateTime(x.at, l)}</time> <span>{describe(x)}</span>
              {x.actor ? <small> — {x.actor}</small> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </details>
  );
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
