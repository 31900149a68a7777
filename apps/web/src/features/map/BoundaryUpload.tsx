import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Modal, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client.ts';
import { type BoundaryImportResult, gridApi } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';
import { showError, showSuccess } from '../../app/notify.ts';

type Problem = { code: string; message: string; with?: string | null };
type FeatureReport = { index: number; code: string | null; problems: Problem[] };
type Parsed = { name: string; fc: { type: 'FeatureCollection'; features: unknown[] }; codes: string[] };

const MAX_BYTES = 32 * 1024 * 1024;

/** Reads a GeoJSON file in the browser, sends it, and lists the server's per-feature problems when it refuses. */
export function BoundaryUpload({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [problems, setProblems] = useState<{ rows: FeatureReport[]; total: number } | null>(null);
  const [result, setResult] = useState<BoundaryImportResult | null>(null);

  const send = useMutation({
    mutationFn: (p: Parsed) => gridApi.importBoundaries(p.fc),
    meta: { silent: true },
    onSuccess: async (r) => {
      setResult(r);
      setProblems(null);
      showSuccess(t('map.upload.done', { count: r.imported }));
      await qc.invalidateQueries({ queryKey: ['grids'] });
    },
    onError: (e) => {
      const details = isApiError(e) ? (e.details as { features?: FeatureReport[]; total?: number } | undefined) : null;
      if (details?.features) setProblems({ rows: details.features, total: details.total ?? details.features.length });
      showError(e);
    },
  });

  const read = async (file: File) => {
    setLocalError(null);
    setProblems(null);
    setResult(null);
    setParsed(null);
    if (file.size > MAX_BYTES) {
      setLocalError(t('map.upload.tooLarge'));
      return;
    }
    try {
      const json = JSON.parse(await file.text()) as { type?: unknown; features?: unknown };
      if (json.type !== 'FeatureCollection' || !Array.isArray(json.features) || json.features.length === 0) {
        setLocalError(t('map.upload.notCollection'));
        return;
      }
      const codes = json.features.map((f) => {
        const c = (f as { properties?: { code?: unknown } | null }).properties?.code;
        return typeof c === 'string' || typeof c === 'number' ? String(c) : '—';
      });
      setParsed({ name: file.name, fc: json as Parsed['fc'], codes });
    } catch {
      setLocalError(t('map.upload.notJson'));
    }
  };

  return (
    <Modal
      open
      width={720}
      title={t('map.upload.title')}
      okText={t('map.upload.submit')}
      okButtonProps={{ disabled: !parsed || !!result, 'data-testid': 'boundary-submit' }}
      onOk={() => parsed && send.mutate(parsed)}
      confirmLoading={send.isPending}
      onCancel={onClose}
      cancelText={result ? t('common.close') : undefined}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('map.upload.hint')}</Typography.Paragraph>
      <Upload.Dragger
        accept=".geojson,.json,application/geo+json,application/json"
        multiple={false}
        showUploadList={false}
        beforeUpload={(file) => {
          void read(file);
          return false;
        }}
        data-testid="boundary-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('map.upload.drop')}</p>
      </Upload.Dragger>
      {localError && <Alert type="error" showIcon title={localError} style={{ marginTop: 12 }} />}
      {parsed && !problems && !result && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          title={t('map.upload.ready', { name: parsed.name, count: parsed.codes.length })}
          description={parsed.codes.slice(0, 20).join('、') + (parsed.codes.length > 20 ? ' …' : '')}
        />
      )}
      {result && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          title={t('map.upload.done', { count: result.imported })}
          description={result.grids.map((g) => g.code).join('、')}
          data-testid="boundary-result"
        />
      )}
      {problems && (
        <div style={{ marginTop: 12 }} data-testid="boundary-problems">
          <Alert
            type="error"
            showIcon
            title={t('map.upload.rejected', { bad: problems.rows.length, total: problems.total })}
            style={{ marginBottom: 12 }}
          />
          <Table<FeatureReport>
            size="small"
            rowKey="index"
            pagination={problems.rows.length > 10 ? { pageSize: 10 } : false}
            dataSource={problems.rows}
            columns={[
              { title: t('map.upload.feature'), dataIndex: 'index', width: 80, render: (i: number) => `#${i + 1}` },
              {
                title: t('map.upload.code'),
                dataIndex: 'code',
                width: 150,
                render: (c: string | null) => <span className="jy-mono">{c ?? '—'}</span>,
              },
              {
                title: t('map.upload.problems'),
                dataIndex: 'problems',
                render: (ps: Problem[]) => (
                  <ul className="jy-problem-list">
                    {ps.map((p, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the problems of one feature have no id
                      <li key={i}>
                        <Tag color="red">{p.code.replace(/^REGISTRY_/, '')}</Tag>
                        {p.message}
                        {p.with ? ` (${t('map.upload.with', { code: p.with })})` : ''}
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        </div>
      )}
    </Modal>
  );
}
