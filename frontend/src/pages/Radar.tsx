import { lang, t } from '../i18n';
import { seg } from '../lib/api';
import { fmtDate, fmtNumber } from '../lib/format';
import { deadlineMessage, isoDate } from '../lib/periods';
import { mapLimit, radar } from '../lib/scores';
import { can, store } from '../lib/state';
import type { Area, Item, Region } from '../lib/types';
import { Empty, ErrorNote, Loading, PageHeader, YearSelect, useLoad, useYear } from '../components/ui';

interface Tally {
  not_started: number;
  waiting: number;
  accepted: number;
  rejected: number;
}
interface ServerRadar {
  deadline: string | null;
  days_left: number | null;
  regions: (Tally & { code: string; name: string; kind: Region['kind']; oldest_waiting_days: number | null; areas: (Tally & { code: string })[] })[];
}

const counts = (t: Tally) => ({ draft: t.not_started, submitted: t.waiting, approved: t.accepted, rejected: t.rejected });

/** The server's radar (GET …/progress) when it has one; otherwise computed here from the items. */
async function loadRadar(year: number) {
  const c = store.client;
  const caps = await store.capabilities().catch(() => null);
  const areas = await c.get<Area[]>(`/api/v1/periods/${year}/areas`);
  if (caps?.has('GET', '/api/v1/periods/{year}/progress')) {
    const r = await c.get<ServerRadar>(`/api/v1/periods/${year}/progress`);
    return {
      areas,
      deadline: r.deadline,
      daysLeft: r.days_left,
      rows: r.regions.map((g) => ({
        region: { code: g.code, name: g.name, kind: g.kind },
        total: counts(g),
        oldest: g.oldest_waiting_days,
        byArea: Object.fromEntries(g.areas.map((a) => [a.code, counts(a)])),
      })),
    };
  }
  const regions = await c.get<Region[]>('/api/v1/regions');
  const all = await mapLimit(regions, 4, async (region) => ({
    region,
    items: await c.get<Item[]>(`/api/v1/periods/${year}/regions/${seg(region.code)}/items`),
  }));
  return { areas, deadline: null, daysLeft: null, rows: radar(all, areas).map((r) => ({ ...r, oldest: null as number | null })) };
}

/**
 * The coordinator's radar, computed in the browser from every Pemda's items: what is missing,
 * waiting and rejected per Pemda and area, and the days left to the period's deadline.
 */
export default function Radar() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const d = useLoad(() => (year ? loadRadar(year) : Promise.resolve(null)), [year]);
  const l = lang.value;
  if (!can.manage(user)) return <Empty>{t('common.notAllowed')}</Empty>;
  if (error) return <ErrorNote error={error} />;
  if (!ready) return <Loading />;
  const deadline = deadlineMessage(d.data?.daysLeft);
  const rows = d.data?.rows.slice().sort((a, b) => b.total.rejected + b.total.draft - (a.total.rejected + a.total.draft) || a.region.code.localeCompare(b.region.code));
  return (
    <>
      <PageHeader title={t('radar.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('radar.lead')}</p>
      {d.data?.deadline ? (
        <p class="notice deadline-line" data-testid="deadline">
          <span>{t(deadline.key, { date: fmtDate(isoDate(d.data.deadline), l, 'UTC'), days: typeof deadline.days === 'number' ? fmtNumber(deadline.days, l, 0) : deadline.days })}</span>
          {can.manage(user) ? <a href="/admin/periods">{t('radar.setDeadline')}</a> : null}
        </p>
      ) : d.data ? (
        <p class="hint deadline-line" data-testid="no-deadline">
          <span>{t('radar.noDeadline')}</span>
          {can.manage(user) ? <a href="/admin/periods">{t('radar.setDeadline')}</a> : null}
        </p>
      ) : null}
      {d.error ? <ErrorNote error={d.error} onRetry={d.reload} /> : null}
      {d.loading && !d.data ? <Loading /> : null}
      {d.data && rows ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('radar.title')}>
          <table class="radar">
            <thead>
              <tr>
                <th scope="col">{t('dash.col.region')}</th>
                {d.data.areas.map((a) => (
                  <th scope="col" key={a.code}>
                    <abbr title={a.name}>{a.code}</abbr>
                  </th>
                ))}
                <th scope="col">{t('radar.total')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.region.code}>
                  <th scope="row">
                    <a href={`/pemda/${seg(r.region.code)}`}>{r.region.name}</a>
                    {r.oldest !== null && r.oldest !== undefined ? <small class="hint"> · {t('review.age', { days: r.oldest })}</small> : null}
                  </th>
                  {[...d.data!.areas.map((a) => r.byArea[a.code] ?? { draft: 0, submitted: 0, approved: 0, rejected: 0 }), r.total].map((c, i) => (
                    <td key={i}>
                      <ul class="radar-counts">
                        <li class={c.draft ? 'missing' : 'zero'}>
                          {t('radar.missing')}: {fmtNumber(c.draft, l, 0)}
                        </li>
                        <li class={c.submitted ? 'waiting' : 'zero'}>
                          {t('radar.waiting')}: {fmtNumber(c.submitted, l, 0)}
                        </li>
                        <li class={c.rejected ? 'rejected' : 'zero'}>
                          {t('radar.rejected')}: {fmtNumber(c.rejected, l, 0)}
                        </li>
                      </ul>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
