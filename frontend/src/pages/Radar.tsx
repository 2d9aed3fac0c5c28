import { lang, t } from '../i18n';
import { seg } from '../lib/api';
import { fmtNumber } from '../lib/format';
import { mapLimit, radar } from '../lib/scores';
import { can, store } from '../lib/state';
import type { Area, Item, Region } from '../lib/types';
import { Empty, ErrorNote, Loading, PageHeader, YearSelect, useLoad, useYear } from '../components/ui';

async function loadRadar(year: number) {
  const c = store.client;
  const [regions, areas] = await Promise.all([c.get<Region[]>('/api/v1/regions'), c.get<Area[]>(`/api/v1/periods/${year}/areas`)]);
  const all = await mapLimit(regions, 4, async (region) => ({
    region,
    items: await c.get<Item[]>(`/api/v1/periods/${year}/regions/${seg(region.code)}/items`),
  }));
  return { areas, rows: radar(all, areas) };
}

/**
 * The coordinator's radar, computed in the browser from every Pemda's items: what is missing,
 * waiting and rejected per Pemda and area. (The API has no deadline per period yet, so the
 * days left are not shown.)
 */
export default function Radar() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const d = useLoad(() => (year ? loadRadar(year) : Promise.resolve(null)), [year]);
  const l = lang.value;
  if (!can.manage(user)) return <Empty>{t('common.notAllowed')}</Empty>;
  if (error) return <ErrorNote error={error} />;
  if (!ready) return <Loading />;
  const rows = d.data?.rows.slice().sort((a, b) => b.total.rejected + b.total.draft - (a.total.rejected + a.total.draft) || a.region.code.localeCompare(b.region.code));
  return (
    <>
      <PageHeader title={t('radar.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('radar.lead')}</p>
      <p class="hint">{t('radar.noDeadline')}</p>
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
                  </th>
                  {[...d.data!.areas.map((a) => r.byArea[a.code]), r.total].map((c, i) => (
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
