import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import type { RevealResponse } from '../../api/endpoints.ts';
import { useI18n } from '../../app/i18n.tsx';

/**
 * 查看完整信息: asks why, calls the reveal endpoint (audited, 50 a day) and shows the value once, inside the dialog.
 * The value is never cached or kept: closing the dialog forgets it. A refusal (the daily cap, 429) shows the
 * server's message.
 */
export function RevealButton({
  label,
  reveal,
  testId,
}: {
  /** what is revealed, e.g. 证件号码 */
  label: string;
  reveal: (reason: string) => Promise<RevealResponse>;
  testId: string;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid={testId}>
        {t('reg.reveal')}
      </Button>
      {open && <RevealDialog label={label} reveal={reveal} onClose={() => setOpen(false)} />}
    </>
  );
}

function RevealDialog({
  label,
  reveal,
  onClose,
}: {
  label: string;
  reveal: (reason: string) => Promise<RevealResponse>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [shown, setShown] = useState<RevealResponse | null>(null);
  const run = useMutation({ mutationFn: (reason: string) => reveal(reason.trim()), onSuccess: setShown });
  return (
    <Modal
      open
      title={t('reg.revealTitle', { field: label })}
      okText={shown ? t('common.close') : t('reg.revealSubmit')}
      onOk={() => (shown ? onClose() : form.submit())}
      cancelButtonProps={shown ? { style: { display: 'none' } } : {}}
      confirmLoading={run.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      {shown ? (
        <div data-testid="reveal-result">
          <Typography.Paragraph type="secondary">{t('reg.revealOnce')}</Typography.Paragraph>
          <div className="jy-revealed" data-testid="reveal-value">
            {shown.value ?? '—'}
          </div>
          <Typography.Paragraph type="secondary" className="jy-hint" style={{ marginTop: 8 }}>
            {t('reg.revealRemaining', { n: shown.remainingToday })}
          </Typography.Paragraph>
        </div>
      ) : (
        <>
          <Alert type="warning" showIcon title={t('reg.revealWarning')} style={{ marginBottom: 16 }} />
          <Form form={form} layout="vertical" name="reveal" onFinish={(v) => run.mutate(v.reason)}>
            <Form.Item
              name="reason"
              label={t('reg.revealReason')}
              rules={[
                { required: true, whitespace: true, message: t('form.required') },
                { min: 2, message: t('reg.revealReasonShort') },
                { max: 200 },
              ]}
            >
              <Input.TextArea rows={2} maxLength={200} showCount autoFocus data-testid="reveal-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
