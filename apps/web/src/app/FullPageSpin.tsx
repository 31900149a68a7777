import { Button, Result, Spin } from 'antd';
import { useI18n } from './i18n.tsx';

export function FullPageSpin({ error, onRetry }: { error?: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (error) {
    return (
      <div className="jy-center">
        <Result
          status="warning"
          title={t('common.loadFailed')}
          subTitle={error instanceof Error ? error.message : undefined}
          extra={
            onRetry && (
              <Button type="primary" onClick={onRetry}>
                {t('common.retry')}
              </Button>
            )
          }
        />
      </div>
    );
  }
  return (
    <div className="jy-center">
      <Spin size="large" />
    </div>
  );
}

export function PageSpin() {
  return (
    <div className="jy-page-spin">
      <Spin />
    </div>
  );
}
