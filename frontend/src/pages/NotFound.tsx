import { t } from '../i18n';
import { PageHeader } from '../components/ui';

export default function NotFound() {
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <p>
        {t('notFound.body')} <a href="/">{t('nav.dashboard')}</a>
      </p>
    </>
  );
}
