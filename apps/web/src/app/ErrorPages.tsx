import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from './i18n.tsx';

export function ForbiddenPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('error.403')}
      extra={
        <Button type="primary" onClick={() => navigate('/')} data-testid="back-home">
          {t('error.backHome')}
        </Button>
      }
    />
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('error.404')}
      extra={
        <Button type="primary" onClick={() => navigate('/')} data-testid="back-home">
          {t('error.backHome')}
        </Button>
      }
    />
  );
}
