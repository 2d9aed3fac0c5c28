import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { lang, t, zoneLabel } from '../i18n';
import { fmtDate, fmtDelta, fmtNumber, fmtPercent } from '../lib/format';
import { ok } from '../lib/api';
import { byName, shortName } from '../lib/names';
import { can, store } from '../lib/state';
import type { Band, Metric, ProvinceSummary, RegionSummary, Summary, Todo, ZoneSchemes } from '../lib/types';
import { ZONE_KEYS, bandText } from '../lib/zones';
import { ExportMenu } from '../components/exports';
import { Empty, ErrorNote, Loading, PageHeader, Progressive, YearSelect, ZoneChip, useLoad, useYear } from '../components/ui';

interface DashboardData {
  summary: Summary;
  /** the provinces to pick from (the national summary's) */
  provinces: ProvinceSummary[];
  zones: ZoneSchemes | null;
  /** what waits for the user's action; null when it could not be read */
  todo: Todo | null;
}

// Everything on this page comes from three reads: the year's summary (standings, ranks, change,
// per-area figures, counts, narrative), its zone bands (for the legend) and what waits for the
// user's action. It computes nothing, and renders once they are all there.
// A province's dashboard (?province=62) asks the summary for that province alone, and the
// national one for the province picker.
async function loadDashboard(year: number, province: string): Promise<DashboardData> {
  const summary = province ? ok(store.api.GET('/api/v1/periods/{year}/summary', { params: { path: { year }, query: { province } } })) : store.summary(year);
  const known = provinceLists.get(year);
  const provinces = !province
    ? summary.then((s) => s.provinces ?? [])
    : known
      ? Promise.resolve(known)
      : store.summary(year).then((n) => n.provinces ?? [], () => []);
  // What waits for the user comes with the figures, so that nothing moves when it arrives.
  const todo = store.todo(year).catch(() => null);
  const [s, ps, zones, t] = await Promise.all([summary, provinces, store.zones(year).catch(() => null), todo]);
  provinceLists.set(year, ps);
  return { summary: s, provinces: ps, zones, todo: t };
}

/** Each year's provinces (from its national summary), read once for the picker. */
const provinceLists = new Map<number, ProvinceSummary[]>();

/** The province picked on the dashboard: ?province= in the address, else the user's own province, else national (''). */
function useProvince(): [string, (code: string) => void] {
  const loc = useLocation();
  const user = store.session.value;
  const q = loc.query.province;
  const province = q === undefined ? (user?.province ?? '') : q;
  return [province, (code: string) => loc.route(`/?province=${encodeURIComponent(code)}`)];
}

/** Codes in their characters' order (localeCompare would load the browser's collation data for digits). */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What lies below a phone's first screen is laid out and painted only when scrolled near
 * (class "later": CSS content-visibility); until then it holds a height guessed from its rows.
 */
const guess = (n: number) => ({ '--rows': String(n) });

/** Regions in rank order (the server's rank; equal ranks by name; unranked last). */
const byRank = (a: RegionSummary, b: RegionSummary) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || byName(a.name, b.name);

export function Dashboard() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const [province, setProvince] = useProvince();
  const d = useLoad(() => (year ? loadDashboard(year, province) : Promise.resolve(null)), [year, province]);

  if (error) return <ErrorNote error={error} />;
  if (!ready) return <Loading />;
  if (!year) {
    return (
      <>
        <PageHeader title={t('dash.title')} />
        <Empty>
          {t('dash.noPeriods')} {can.manage(user) ? <a href="/admin/periods">{t('dash.createPeriod')}</a> : null}
        </Empty>
      </>
    );
  }
  return (
    <>
      {/* the pickers come with the figures: the header takes its height once */}
      <PageHeader title={t('dash.title')}>
        {d.data || d.error ? (
          <>
            <ProvinceSelect provinces={d.data?.provinces ?? []} value={province} onChange={setProvince} />
            <YearSelect />
          </>
        ) : null}
      </PageHeader>
      {d.error ? <ErrorNote error={d.error} onRetry={d.reload} /> : null}
      {d.loading && !d.data ? <Loading /> : null}
      {d.data ? <DashboardBody data={d.data} year={year} province={province} /> : null}
    </>
  );
}

function DashboardBody({ data, year, province }: { data: DashboardData; year: number; province: string }) {
  const { summary } = data;
  const l = lang.value;
  const ranked = useMemo(() => summary.regions.slice().sort(byRank), [summary]);
  return (
    <>
      <p class="as-of" data-testid="as-of">
        {summary.final ? (
          <span class="badge final" data-testid="final">
            {t('dash.final')}
          </span>
        ) : null}{' '}
        {summary.as_of ? t('dash.asOf', { date: fmtDate(summary.as_of, l) }) : null}
      </p>
      {data.todo ? <TodoList todo={data.todo} /> : null}
      <section aria-labelledby="counts-h" class="counts">
        <h2 id="counts-h" class="visually-hidden">
          {t('dash.countsTitle')}
        </h2>
        <ZoneCards metric="action_plan" counts={summary.counts.action_plan} />
        <ZoneCards metric="delegation" counts={summary.counts.delegation} />
      </section>

      <Narrative text={summary.narrative} />

      {/* Below the first screen: each part painted a frame after the one before (nothing shown
          sits below them but the footer, which the page's height keeps out of sight). */}
      <Progressive
        parts={[
          summary.provinces?.length ? <Provinces key="provinces" summary={summary} /> : null,
          <AreaFigures key="areas" summary={summary} />,
          <Ranking key="ranking" summary={summary} ranked={ranked} year={year} province={province} />,
          <BarChart key="chart" summary={summary} />,
          <HeatMap key="heat" summary={summary} ranked={ranked} bands={data.zones?.action_plan ?? []} />,
        ]}
      />
    </>
  );
}

/** The Pemda in rank order: a table on a wide screen, a card per Pemda on a phone. */
function Ranking({ summary, ranked, year, province }: { summary: Summary; ranked: RegionSummary[]; year: number; province: string }) {
  const l = lang.value;
  const anyChange = ranked.some((r) => r.change !== null);
  return (
    <section aria-labelledby="ranking-h">
      <div class="section-head">
        <h2 id="ranking-h">{t('dash.ranking')}</h2>
        {summary.average !== null ? <p class="hint average">{t('dash.average', { p: fmtPercent(summary.average, l) })}</p> : null}
        <ExportMenu year={year} table="summary" filter={{ province }} label={t('export.summary')} />
      </div>
      <div class="table-wrap ranking-wrap later" style={guess(ranked.length)} tabIndex={0} role="region" aria-labelledby="ranking-h">
        <table class="ranking" data-testid="ranking">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('dash.col.region')}</th>
              <th scope="col">{t('dash.col.verified')}</th>
              <th scope="col" class="num">
                {t('dash.col.claimed')}
              </th>
              <th scope="col">{t('dash.col.delegation')}</th>
              <th scope="col" class="num">
                {t('dash.col.change', { year: year - 1 })}
              </th>
            </tr>
          </thead>
          <tbody>
            {ranked.map((r) => (
              <tr key={r.code} data-region={r.code}>
                <td class="num rank">{r.rank ?? '—'}</td>
                <th scope="row" class="name">
                  <a href={`/pemda/${encodeURIComponent(r.code)}`}>
                    <span class="short" aria-hidden="true">
                      {shortName(r.name)}
                    </span>
                    <span class="long">{r.name}</span>
                  </a>
                </th>
                <td class="verified" data-label={t('dash.col.verified')}>
                  <ZoneChip zone={r.action_plan.zone} percent={r.action_plan.percent} />
                </td>
                <td class="num claimed" data-label={t('dash.col.claimedShort')}>
                  {fmtPercent(r.action_plan.claimed_percent, l)}
                </td>
                <td class="delegation" data-label={t('dash.col.delegationShort')}>
                  <ZoneChip zone={r.delegation.zone} percent={r.delegation.percent} />
                </td>
                <td class={`num change${r.change === null ? ' none' : ''}`} data-label={t('dash.col.changeShort')}>
                  {fmtDelta(r.change, l)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!anyChange ? <p class="hint">{t('dash.noPrevious', { year: year - 1 })}</p> : null}
    </section>
  );
}

/** The press-release paragraph; on a phone its first lines, with a button for the rest. */
function Narrative({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  return (
    <section class={`card narrative${all ? ' all' : ''}`} aria-labelledby="narrative-h">
      <h2 id="narrative-h">{t('dash.narrative')}</h2>
      <p lang="id" id="narrative-text">
        {text}
      </p>
      <button type="button" class="link more" aria-expanded={all} aria-controls="narrative-text" onClick={() => setAll(!all)}>
        {t(all ? 'dash.narrativeLess' : 'dash.narrativeMore')}
      </button>
      {lang.value !== 'id' ? <p class="hint">{t('dash.narrativeLang')}</p> : null}
    </section>
  );
}

function ZoneCards({ metric, counts, testid }: { metric: Metric; counts: Record<string, number>; testid?: string }) {
  const keys = ZONE_KEYS.filter((k) => k in counts);
  return (
    <div class="zone-cards" data-testid={testid ?? `counts-${metric}`}>
      <h3>{t(metric === 'action_plan' ? 'metric.action_plan' : 'metric.delegation')}</h3>
      <ul>
        {keys.map((k) => (
          <li key={k} class={`zone-card zone-${k}`} data-zone={k}>
            <span class="count">{counts[k]}</span>
            <span class="label">{zoneLabel(k)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Bars of each Pemda's figure, for either metric (on a phone the ranking's cards stand in for them). */
function BarChart({ summary }: { summary: Summary }) {
  const [metric, setMetric] = useState<Metric>('action_plan');
  const l = lang.value;
  const rows = summary.regions
    .map((r) => ({ code: r.code, name: r.name, percent: r[metric].percent, zone: r[metric].zone }))
    .sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1) || byName(a.name, b.name));
  return (
    <section class="card bar-chart later" style={guess(rows.length)} aria-labelledby="chart-h">
      <div class="section-head">
        <h2 id="chart-h">{t('dash.chart')}</h2>
        <div class="segmented" role="group" aria-label={t('dash.chartMetric')}>
          {(['action_plan', 'delegation'] as Metric[]).map((m) => (
            <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
              {t(m === 'action_plan' ? 'metric.action_plan' : 'metric.delegation')}
            </button>
          ))}
        </div>
      </div>
      <ol class="bars">
        {rows.map((r) => (
          <li key={r.code}>
            <span class="bar-name">{r.name}</span>
            <span class="bar-track" aria-hidden="true">
              <span class={`bar-fill zone-${r.zone}`} style={{ width: `${Math.max(0, Math.min(100, r.percent ?? 0))}%` }} />
            </span>
            <span class="bar-value">
              {fmtPercent(r.percent, l)} <span class="bar-zone">{zoneLabel(r.zone)}</span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * Pemda × area: each Pemda's verified figure in each area, coloured by the zone the server gave
 * it, in rank order, with the areas' averages below. The names column stays in place while the
 * areas scroll sideways.
 */
function HeatMap({ summary, ranked, bands }: { summary: Summary; ranked: RegionSummary[]; bands: Band[] }) {
  const l = lang.value;
  const areas = summary.areas;
  if (areas.length === 0) return null;
  return (
    <section class="card" aria-labelledby="heat-h">
      <h2 id="heat-h">{t('dash.heat')}</h2>
      <div class="table-wrap heat-wrap" tabIndex={0} role="region" aria-labelledby="heat-h">
        <table class="heat" data-testid="heatmap">
          <thead>
            <tr>
              <th scope="col" class="sticky">
                {t('dash.col.region')}
              </th>
              {areas.map((a) => (
                <th scope="col" key={a.code}>
                  {a.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ranked.map((r) => {
              const mine = new Map(r.areas.map((a) => [a.code, a]));
              return (
                <tr key={r.code} data-region={r.code}>
                  <th scope="row" class="sticky">
                    <a href={`/pemda/${encodeURIComponent(r.code)}`} title={r.name}>
                      <span aria-hidden="true">{shortName(r.name)}</span>
                      <span class="visually-hidden">{r.name}</span>
                    </a>
                  </th>
                  {areas.map((a) => {
                    const v = mine.get(a.code);
                    const zone = v?.zone ?? 'no_data';
                    return (
                      <td key={a.code} class={`cell zone-${zone}`} title={`${a.name}: ${zoneLabel(zone)}`}>
                        {fmtPercent(v?.percent, l)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" class="sticky">
                {t('dash.areaAverage')}
              </th>
              {areas.map((a) => (
                <td key={a.code} class="num">
                  {fmtPercent(a.average, l)}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <Legend bands={bands} />
    </section>
  );
}

/** The zones of the action plan with their thresholds, as the period's bands set them. */
function Legend({ bands }: { bands: Band[] }) {
  const l = lang.value;
  return (
    <ul class="legend" aria-label={t('dash.legend')} data-testid="legend">
      {bands.map((b) => (
        <li key={b.key}>
          <span class={`chip zone-${b.key}`}>{zoneLabel(b.key)}</span> <span class="band">{bandText(b, l)}</span>
        </li>
      ))}
      <li>
        <span class="chip zone-no_data">{zoneLabel('no_data')}</span>
      </li>
    </ul>
  );
}

/** The province picker: national (every province) or one province's dashboard. */
function ProvinceSelect({ provinces: all, value, onChange }: { provinces: ProvinceSummary[]; value: string; onChange: (code: string) => void }) {
  const provinces = all.slice().sort((a, b) => byCode(a.code, b.code));
  if (provinces.length < 2 && !value) return null;
  return (
    <div class="year-select">
      <label for="province">{t('dash.province')}</label>
      <select id="province" value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{t('dash.national')}</option>
        {provinces.map((p) => (
          <option key={p.code} value={p.code}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The national view: every province at a glance (average, zone counts, rank), each a link to its own dashboard. */
function Provinces({ summary }: { summary: Summary }) {
  const l = lang.value;
  const rows = (summary.provinces ?? []).slice().sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || byName(a.name, b.name));
  return (
    <section aria-labelledby="provinces-h">
      <h2 id="provinces-h">{t('dash.provinces')}</h2>
      <div class="table-wrap later" style={guess(rows.length + 1)} tabIndex={0} role="region" aria-labelledby="provinces-h">
        <table class="provinces" data-testid="provinces">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('dash.province')}</th>
              <th scope="col" class="num">
                {t('dash.areaAverage')}
              </th>
              <th scope="col">{t('dash.countsTitle')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.code} data-province={p.code}>
                <td class="num rank">{p.rank ?? '—'}</td>
                <th scope="row">
                  <a href={`/?province=${encodeURIComponent(p.code)}`}>{p.name}</a>
                </th>
                <td class="num average">{fmtPercent(p.average, l)}</td>
                <td class="zone-counts">
                  {ZONE_KEYS.filter((k) => k in p.counts).map((k) => (
                    <span key={k} class={`chip zone-${k}`} data-zone={k}>
                      {zoneLabel(k)}: {p.counts[k]}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One area's zone counts and narrative, the area picked from the period's eight. */
function AreaFigures({ summary }: { summary: Summary }) {
  const areas = summary.areas;
  const [code, setCode] = useState(areas.find((a) => a.code === 'PTSP')?.code ?? areas[0]?.code ?? '');
  const area = areas.find((a) => a.code === code) ?? areas[0];
  if (!area) return null;
  const l = lang.value;
  return (
    <section class="card area-figures later" style={guess(8)} aria-labelledby="area-h" data-testid="area-figures">
      <div class="section-head">
        <h2 id="area-h">{t('dash.areaTitle')}</h2>
        <div class="year-select">
          <label for="area-pick">{t('dash.area')}</label>
          <select id="area-pick" value={area.code} onChange={(e) => setCode((e.currentTarget as HTMLSelectElement).value)}>
            {areas.map((a) => (
              <option key={a.code} value={a.code}>
                {a.code} — {a.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ZoneCards metric="action_plan" counts={area.counts} testid="area-counts" />
      <p class="hint">{t('dash.average', { p: fmtPercent(area.average, l) })}</p>
      {area.narrative ? <p lang="id">{area.narrative}</p> : null}
    </section>
  );
}

/** "Perlu tindakan": what waits for the user, each with where to act; a word when nothing does. */
function TodoList({ todo }: { todo: Todo }) {
  const l = lang.value;
  const n = (x: number) => fmtNumber(x, l, 0);
  return (
    <section class="todo card" aria-labelledby="todo-h" data-testid="todo">
      <h2 id="todo-h">{t('todo.title')}</h2>
      {todo.actions.length ? (
        <ul>
          {todo.actions.map((a) => (
            <li key={a.kind} data-kind={a.kind}>
              <a href={a.link}>
                {a.kind === 'review_queue'
                  ? t('todo.review_queue', { n: n(a.count), days: n(a.days ?? 0) })
                  : a.kind === 'behind'
                    ? t('todo.behind', { n: n(a.count), regions: (a.regions ?? []).map((r) => `${shortName(r.name)} (${n(r.count)})`).join(', ') })
                    : t(`todo.${a.kind}`, { n: n(a.count) })}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">{t('todo.none')}</p>
      )}
    </section>
  );
}
