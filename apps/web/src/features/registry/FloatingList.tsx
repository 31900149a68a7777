import { Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { type FloatingItem, residentApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { ResidentTable } from './ResidentTable.tsx';

type Status = 'all' | 'arriving' | 'overdue' | 'departed';
const fmt = (d: string | null) => (d ? dayjs(d).format('YYYY-MM-DD') : '—');

/** 流动人口: new arrivals (last 30 days), overdue (leave date passed, or not registered 30 days after), departures. */
export function FloatingList() {
  const { t } = useI18n();
  const [status, setStatus] = useState<Status>('all');
  return (
    <div data-testid="floating-list">
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<Status>
          value={status}
          onChange={setStatus}
          data-testid="floating-status"
          options={[
            { value: 'all', label: t('reg.floating.all') },
            { value: 'arriving', label: t('reg.floating.arriving') },
            { value: 'overdue', label: t('reg.floating.overdue') },
            { value: 'departed', label: t('reg.floating.departed') },
          ]}
        />
        <Typography.Text type="secondary" className="jy-hint">
          {t(`reg.floating.hint.${status}`)}
        </Typography.Text>
      </Space>
      <ResidentTable<FloatingItem>
        testId="floating-table"
        queryKey={['residents', 'floating', status]}
        fetchPage={(cursor) => residentApi.floating({ status, cursor, limit: 50 })}
        extraColumns={[
          { title: t('reg.field.arrivedOn'), dataIndex: 'arrivedOn', width: 110, render: fmt },
          { title: t('reg.field.expectedLeaveOn'), dataIndex: 'expectedLeaveOn', width: 110, render: fmt },
          { title: t('reg.field.residenceRegisteredOn'), dataIndex: 'residenceRegisteredOn', width: 110, render: fmt },
          {
            title: t('reg.floating.flags'),
            key: 'flags',
            width: 220,
            render: (_, r) => (
              <span className="jy-tags">
                {r.arriving && <Tag color="blue">{t('reg.floating.flag.arriving')}</Tag>}
                {r.overdueLeave && <Tag color="red">{t('reg.floating.flag.overdueLeave')}</Tag>}
                {r.overdueRegistration && <Tag color="orange">{t('reg.floating.flag.overdueRegistration')}</Tag>}
                {r.status === 'ended' && <Tag>{t('reg.floating.flag.departed')}</Tag>}
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}
