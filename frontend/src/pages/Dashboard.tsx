import { useEffect, useMemo, useState } from 'preact/hooks';
import { lang, t, zoneLabel } from '../i18n';
import { seg } from '../lib/api';
import { fmtDelta, fmtPercent } from '../lib/format';
import { areaPercents, mapLimit, type RegionItems } from '../lib/scores';
import { can, store } from '../lib/state';
import type { Area, Indicator, Item, Metric, Summary, ZoneSchemes } from '../lib/types';
import { ZONE_KEYS, zoneFor } from '../lib/zones';
import { Empty, ErrorNote, Loading, PageHeader, YearSelect, ZoneChip, useLoad, useYear } from '../components/ui';

interface DashboardData {
  summary: Summary;
  previous: Summary | null;
  zones: ZoneSchemes | null;
}

async function loadDashboard(year: number): Promise<DashboardData> {
  const c = store.client;
  const hasPrevious = store.periods.value?.some((p) => p.year === year - 1) ?? false;
  const [summary, previous, zones] = await Promise.all([
    store.get<Summary>(`/api/v1/periods/${year}/summary`),
    hasPrevious ? c.get<Summary>(`/api/v1/periods/${year - 1}/summary`).catch(() => null) : Promise.resolve(null),
    store.get<ZoneSchemes>(`/api/v1/periods/${year}/zones`).catch(() => null),
  ]);
  return { summary, previous, zones };
}

export function Dashboard() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const d = useLoad(() => (year ? loadDashboard(year) : Promise.resolve(null)), [year]);

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
      <PageHeader title={t('dash.title')}>
        <YearSelect />
      </PageHeader>
      {d.error ? <ErrorNote error={d.error} onRetry={d.reload} /> : null}
      {d.loading && !d.data ? <Loading /> : null}
      {d.data ? <DashboardBody data={d.data} year={year} /> : null}
    </>
  );
}

function DashboardBody({ data, year }: { data: DashboardData; year: number }) {
  const { summary, previous } = data;
  const l = lang.value;
  const ranked = useMemo(
    () =>
      summary.regions
        .slice()
        .sort((a, b) => (b.action_plan.percent ?? -1) - (a.action_plan.percent ?? -1) || a.name.localeCompare(b.name)),
    [summary],
  );
  const prev = useMemo(() => new Map(previous?.regions.map((r) => [r.code, r.action_plan.percent]) ?? []), [previous]);
  return (
    <>
      <section aria-labelledby="counts-h" class="counts">
        <h2 id="counts-h" class="visually-hidden">
          {t('dash.countsTitle')}
        </h2>
        <ZoneCards metric="action_plan" counts={summary.counts.action_plan} />
        <ZoneCards metric="delegation" counts={summary.counts.delegation} />
      </section>

      <section class="card narrative" aria-labelledby="narrative-h">
        <h2 id="narrative-h">{t('dash.narrative')}</h2>
        <p lang="id">{summary.narrative}</p>
        {l !== 'id' ? <p class="hint">{t('dash.narrativeLang')}</p> : null}
      </section>

      <section aria-labelledby="ranking-h">
        <h2 id="ranking-h">{t('dash.ranking')}</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="ranking-h">
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
              {ranked.map((r, i) => {
                const before = prev.get(r.code);
                const delta = before !== undefined && before !== null && r.action_plan.percent !== null ? r.action_plan.percent - before : null;
                return (
                  <tr key={r.code} data-region={r.code}>
                    <td class="num">{i + 1}</td>
                    <th scope="row">
                      <a href={`/pemda/${seg(r.code)}`}>{r.name}</a>
                    </th>
                    <td>
                      <ZoneChip zone={r.action_plan.zone} percent={r.action_plan.percent} />
                    </td>
                    <td class="num">{fmtPercent(r.action_plan.claimed_percent, l)}</td>
                    <td>
                      <ZoneChip zone={r.delegation.zone} percent={r.delegation.percent} />
                    </td>
                    <td class="num">{fmtDelta(delta, l)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {!previous ? <p class="hint">{t('dash.noPrevious', { year: year - 1 })}</p> : null}
      </section>

      <BarChart summary={summary} />
      <HeatMap year={year} summary={summary} zones={data.zones} />
    </>
  );
}

function ZoneCards({ metric, counts }: { metric: Metric; counts: Record<string, number> }) {
  const keys = ZONE_KEYS.filter((k) => k in counts);
  return (
    <div class="zone-cards" data-testid={`counts-${metric}`}>
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

function BarChart({ summary }: { summary: Summary }) {
  const [metric, setMetric] = useState<Metric>('action_plan');
  const l = lang.value;
  const rows = summary.regions
    .map((r) => ({ code: r.code, name: r.name, percent: r[metric].percent, zone: r[metric].zone }))
    .sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1) || a.name.localeCompare(b.name));
  return (
    <section class="card" aria-labelledby="chart-h">
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
              <span class={`bar zone-${r.zone}`} style={{ width: `${Math.max(0, Math.min(100, r.percent ?? 0))}%` }} />
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

interface HeatData {
  columns: { code: string; label: string; title: string }[];
  rows: { code: string; name: string; values: (number | null)[] }[];
  byIndicator: boolean;
}

async function loadHeat(year: number, summary: Summary, byIndicatorWanted: boolean): Promise<HeatData> {
  const c = store.client;
  const [areas, indicators] = await Promise.all([
    c.get<Area[]>(`/api/v1/periods/${year}/areas`),
    c.get<Indicator[]>(`/api/v1/periods/${year}/indicators`),
  ]);
  const all: RegionItems[] = await mapLimit(summary.regions, 4, async (r) => ({
    region: { code: r.code, name: r.name, kind: r.kind },
    items: await c.get<Item[]>(`/api/v1/periods/${year}/regions/${seg(r.code)}/items`),
  }));
  const byIndicator = byIndicatorWanted || areas.length < 2;
  if (byIndicator) {
    return {
      byIndicator,
      columns: indicators.map((i) => ({ code: i.code, label: i.code, title: i.title })),
      rows: all.map(({ region, items }) => {
        const m = new Map(items.map((i) => [i.indicator_code, i.verified_progress]));
        return { code: region.code, name: region.name, values: indicators.map((i) => m.get(i.code) ?? null) };
      }),
    };
  }
  return {
    byIndicator,
    columns: areas.map((a) => ({ code: a.code, label: a.code, title: a.name })),
    rows: all.map(({ region, items }) => {
      const per = areaPercents(items, areas);
      return { code: region.code, name: region.name, values: areas.map((a) => per[a.code]) };
    }),
  };
}

function HeatMap({ year, summary, zones }: { year: number; summary: Summary; zones: ZoneSchemes | null }) {
  // At national scale the heat map reads every Pemda's items: it waits to be asked for.
  const [wanted, setWanted] = useState(summary.regions.length <= 60);
  const [byIndicator, setByIndicator] = useState(false);
  const heat = useLoad(() => (wanted ? loadHeat(year, summary, byIndicator) : Promise.resolve(null)), [year, summary, wanted, byIndicator]);
  const l = lang.value;
  useEffect(() => setWanted(summary.regions.length <= 60), [summary]);
  const bands = zones?.action_plan ?? [];
  return (
    <section class="card" aria-labelledby="heat-h">
      <div class="section-head">
        <h2 id="heat-h">{t('dash.heat')}</h2>
        {heat.data && !(heat.data.byIndicator && !byIndicator) ? (
          <div class="segmented" role="group" aria-label={t('dash.heatBy')}>
            <button type="button" aria-pressed={!byIndicator} onClick={() => setByIndicator(false)}>
              {t('dash.heatByArea')}
            </button>
            <button type="button" aria-pressed={byIndicator} onClick={() => setByIndicator(true)}>
              {t('dash.heatByIndicator')}
            </button>
          </div>
        ) : null}
      </div>
      {!wanted ? (
        <button type="button" onClick={() => setWanted(true)}>
          {t('dash.heatLoad', { n: summary.regions.length })}
        </button>
      ) : null}
      {heat.error ? <ErrorNote error={heat.error} onRetry={heat.reload} /> : null}
      {wanted && heat.loading && !heat.data ? <Loading label={t('dash.heatLoading')} /> : null}
      {heat.data ? (
        <>
          {heat.data.byIndicator && !byIndicator ? <p class="hint">{t('dash.heatOneArea')}</p> : null}
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="heat-h">
            <table class="heat" data-testid="heatmap">
              <thead>
                <tr>
                  <th scope="col">{t('dash.col.region')}</th>
                  {heat.data.columns.map((c) => (
                    <th scope="col" key={c.code} title={c.title}>
                      <abbr title={c.title}>{c.label}</abbr>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {heat.data.rows.map((r) => (
                  <tr key={r.code}>
                    <th scope="row">
                      <a href={`/pemda/${seg(r.code)}`}>{r.name}</a>
                    </th>
                    {r.values.map((v, i) => {
                      const z = zoneFor(v, bands);
                      return (
                        <td key={heat.data!.columns[i].code} class={`cell zone-${z}`} title={`${heat.data!.columns[i].title}: ${zoneLabel(z)}`}>
                          {v === null ? '—' : fmtPercent(v, l)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Legend bands={bands} />
        </>
      ) : null}
    </section>
  );
}

function Legend({ bands }: { bands: { key: string }[] }) {
  return (
    <ul class="legend" aria-label={t('dash.legend')}>
      {bands.map((b) => (
        <li key={b.key}>
          <ZoneChip zone={b.key} />
        </li>
      ))}
    </ul>
  );
}
