// Settings › Pemda: the regions and their kinds.
import { label, t } from '../../i18n';
import { ok } from '../../lib/api';
import { store } from '../../lib/state';
import type { Region, RegionKind } from '../../lib/types';
import { useLoad } from '../../components/ui';
import { CreateForm, List } from './shared';

const KINDS: RegionKind[] = ['regency', 'city', 'province'];
const kindLabel = (k: RegionKind) => label('region_kind', k);

export default function Regions() {
  const regions = useLoad(() => ok(store.api.GET('/api/v1/regions')), []);
  return (
    <>
      <CreateForm
        id="new-region"
        title={t('admin.newRegion')}
        specs={[
          { name: 'code', label: 'admin.code' },
          { name: 'name', label: 'admin.name' },
          { name: 'kind', label: 'admin.kind', type: 'select', options: KINDS.map((k) => ({ value: k, label: kindLabel(k) })) },
        ]}
        submit={(v) => ok(store.api.POST('/api/v1/regions', { body: { code: v.code, name: v.name, kind: v.kind as RegionKind } }))}
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
                  <td>{kindLabel(r.kind)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </List>
    </>
  );
}
