// Settings: one tab per thing an admin or coordinator sets up, each in its own file and
// loaded with this page.
import { useRoute } from 'preact-iso';
import { t, type MessageKey } from '../../i18n';
import { can, store } from '../../lib/state';
import { Empty, PageHeader } from '../../components/ui';
import Catalogue from './Catalogue';
import Letterhead from './Letterhead';
import Periods from './Periods';
import Regions from './Regions';
import Signatories from './Signatories';
import Users from './Users';
import Zones from './Zones';

const TABS = [
  { tab: 'periods', key: 'admin.tab.periods', admin: false, page: Periods },
  { tab: 'catalogue', key: 'admin.tab.catalogue', admin: false, page: Catalogue },
  { tab: 'regions', key: 'admin.tab.regions', admin: false, page: Regions },
  { tab: 'users', key: 'admin.tab.users', admin: true, page: Users },
  { tab: 'zones', key: 'admin.tab.zones', admin: true, page: Zones },
  { tab: 'letterhead', key: 'admin.tab.letterhead', admin: true, page: Letterhead },
  { tab: 'signatories', key: 'admin.tab.signatories', admin: true, page: Signatories },
] satisfies { tab: string; key: MessageKey; admin: boolean; page: () => unknown }[];

export default function Admin() {
  const { params } = useRoute();
  const user = store.session.value;
  if (!can.manage(user)) return <Empty>{t('common.notAllowed')}</Empty>;
  const tabs = TABS.filter((x) => !x.admin || can.admin(user));
  const current = tabs.find((x) => x.tab === params.tab) ?? tabs[0];
  const Page = current.page;
  return (
    <>
      <PageHeader title={t('admin.title')} />
      <nav class="tabs" aria-label={t('admin.sections')}>
        <ul>
          {tabs.map((x) => (
            <li key={x.tab}>
              <a href={`/admin/${x.tab}`} aria-current={x === current ? 'page' : undefined}>
                {t(x.key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Page />
    </>
  );
}
