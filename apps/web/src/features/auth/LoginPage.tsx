import { KeyOutlined, LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import type { TLoginResponse } from '@jiayuan/contracts';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Spin, Steps, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/client.ts';
import { authApi } from '../../api/endpoints.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { LangSwitch } from '../../app/LangSwitch.tsx';
import { LogoMark } from '../../app/Logo.tsx';
import { meetsStaffRule } from '../../app/password.ts';
import { safeNext, useMe, useSetSessionUser } from '../../app/session.tsx';

type Step = 'credentials' | 'totp' | 'enroll' | 'password';

const stepFor = (status: TLoginResponse['status']): Step | null =>
  status === 'totp_required'
    ? 'totp'
    : status === 'totp_enrollment_required'
      ? 'enroll'
      : status === 'password_change_required'
        ? 'password'
        : null;

/** Errors meaning the half-finished sign-in is gone: start again from the password. */
const RESTART_CODES = new Set(['AUTH_REQUIRED', 'SESSION_EXPIRED', 'IDENTITY_TOTP_NOT_PENDING']);

export default function LoginPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const setUser = useSetSessionUser();
  const me = useMe();
  const [step, setStep] = useState<Step>('credentials');
  const [sessionNotice, setSessionNotice] = useState(false);
  const [mfaSeen, setMfaSeen] = useState(false);

  const onAnswer = (res: TLoginResponse) => {
    if (res.status === 'ok') {
      if (res.user) setUser(res.user);
      else void me.refetch();
      void navigate(next, { replace: true });
      return;
    }
    const s = stepFor(res.status);
    if (s === 'totp' || s === 'enroll') setMfaSeen(true);
    if (s) setStep(s);
  };

  const onStepError = (err: unknown) => {
    if (isApiError(err) && RESTART_CODES.has(err.code)) {
      setStep('credentials');
      setMfaSeen(false);
      setSessionNotice(true);
    }
  };

  // warm the home page's chunk while the user types
  useEffect(() => {
    void import('../home/HomePage.tsx');
  }, []);

  if (step === 'credentials' && me.data) return <Navigate to={next} replace />;

  // the steps this sign-in actually goes through: the second factor and the password change only when asked for
  const stepTitles: MessageKey[] = [
    'login.step.password',
    ...(mfaSeen ? (['login.step.mfa'] as const) : []),
    ...(step === 'password' ? (['login.step.newPassword'] as const) : []),
  ];
  const stepIndex = step === 'credentials' ? 0 : stepTitles.length - 1;

  return (
    <div className="jy-login">
      <div className="jy-login-lang">
        <LangSwitch />
      </div>
      <div className="jy-login-box">
        <div className="jy-login-brand">
          <LogoMark size={56} />
          <h1 className="jy-login-title">
            家园 <span>Jiayuan</span>
          </h1>
          <div className="jy-login-subtitle" data-testid="app-subtitle">
            {t('app.subtitle')}
          </div>
        </div>
        <Card className="jy-login-card" variant="borderless">
          {step !== 'credentials' && (
            <Steps
              size="small"
              current={stepIndex}
              className="jy-login-steps"
              items={stepTitles.map((k) => ({ title: t(k) }))}
            />
          )}
          {sessionNotice && step === 'credentials' && (
            <Alert type="warning" showIcon title={t('login.restart')} style={{ marginBottom: 16 }} />
          )}
          {step === 'credentials' && <CredentialsStep onAnswer={onAnswer} />}
          {step === 'totp' && <TotpStep onAnswer={onAnswer} onError={onStepError} />}
          {step === 'enroll' && <EnrollStep onAnswer={onAnswer} onError={onStepError} />}
          {step === 'password' && <PasswordStep onAnswer={onAnswer} onError={onStepError} />}
          {step !== 'credentials' && (
            <Button
              type="link"
              block
              onClick={() => {
                setMfaSeen(false);
                setStep('credentials');
              }}
              style={{ marginTop: 8 }}
            >
              {t('login.backToStart')}
            </Button>
          )}
        </Card>
        <div className="jy-login-foot">{t('login.footer')}</div>
      </div>
    </div>
  );
}

type StepProps = { onAnswer: (res: TLoginResponse) => void; onError?: (err: unknown) => void };

function CredentialsStep({ onAnswer }: StepProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const login = useMutation({
    mutationFn: (v: { username: string; password: string }) => authApi.login(v.username.trim(), v.password),
    onSuccess: onAnswer,
    onError: () => form.setFieldValue('password', ''),
  });
  return (
    <Form
      form={form}
      name="login"
      layout="vertical"
      size="large"
      onFinish={(v) => login.mutate(v)}
      requiredMark={false}
    >
      <Typography.Title level={4} className="jy-login-heading">
        {t('login.heading')}
      </Typography.Title>
      <Form.Item
        name="username"
        label={t('login.username')}
        rules={[{ required: true, message: t('login.username.required') }]}
      >
        <Input
          prefix={<UserOutlined />}
          autoComplete="username"
          autoFocus
          maxLength={64}
          data-testid="login-username"
          placeholder={t('login.username.placeholder')}
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('login.password')}
        rules={[{ required: true, message: t('login.password.required') }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          maxLength={256}
          data-testid="login-password"
          placeholder={t('login.password.placeholder')}
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
        {t('login.submit')}
      </Button>
    </Form>
  );
}

function CodeForm({
  onSubmit,
  pending,
  submitLabel,
}: {
  onSubmit: (code: string, reset: () => void) => void;
  pending: boolean;
  submitLabel: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ code: string }>();
  return (
    <Form
      form={form}
      name="totp"
      layout="vertical"
      size="large"
      requiredMark={false}
      onFinish={(v) => onSubmit(v.code, () => form.setFieldValue('code', ''))}
    >
      <Form.Item
        name="code"
        label={t('login.totp.code')}
        normalize={(v: string) => v.replace(/\D/g, '').slice(0, 6)}
        rules={[
          { required: true, message: t('login.totp.required') },
          { pattern: /^\d{6}$/, message: t('login.totp.format') },
        ]}
      >
        <Input
          prefix={<SafetyOutlined />}
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          maxLength={6}
          placeholder="123456"
          className="jy-code-input"
          data-testid="totp-code"
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={pending} data-testid="totp-submit">
        {submitLabel}
      </Button>
    </Form>
  );
}

function TotpStep({ onAnswer, onError }: StepProps) {
  const { t } = useI18n();
  const totp = useMutation({ mutationFn: authApi.totp, onSuccess: onAnswer, onError });
  return (
    <>
      <Typography.Title level={4} className="jy-login-heading">
        {t('login.totp.heading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('login.totp.hint')}</Typography.Paragraph>
      <CodeForm
        pending={totp.isPending}
        submitLabel={t('login.totp.submit')}
        onSubmit={(code, reset) => totp.mutate(code, { onError: reset })}
      />
    </>
  );
}

const groupSecret = (s: string) => s.replace(/(.{4})/g, '$1 ').trim();

function EnrollStep({ onAnswer, onError }: StepProps) {
  const { t } = useI18n();
  const setup = useMutation({ mutationFn: authApi.totpSetup, onError });
  const enable = useMutation({ mutationFn: authApi.totpEnable, onSuccess: onAnswer, onError });
  const { mutate: startSetup } = setup;

  // ask for a secret once when this step opens (the ref keeps StrictMode's second effect run from asking twice)
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startSetup();
  }, [startSetup]);

  return (
    <>
      <Typography.Title level={4} className="jy-login-heading">
        {t('login.enroll.heading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('login.enroll.hint')}</Typography.Paragraph>
      {setup.isPending && (
        <div style={{ textAlign: 'center', padding: 16 }}>
          <Spin />
        </div>
      )}
      {setup.isError && (
        <Button block onClick={() => startSetup()} style={{ marginBottom: 16 }}>
          {t('common.retry')}
        </Button>
      )}
      {setup.data && (
        <>
          <ol className="jy-enroll-steps">
            <li>{t('login.enroll.step1')}</li>
            <li>
              {t('login.enroll.step2')}
              <div className="jy-secret">
                <Typography.Text
                  copyable={{ text: setup.data.secret }}
                  className="jy-secret-text"
                  data-testid="totp-secret"
                  data-secret={setup.data.secret}
                >
                  {groupSecret(setup.data.secret)}
                </Typography.Text>
              </div>
              <div className="jy-secret-link">
                <a href={setup.data.otpauthUri}>
                  <KeyOutlined /> {t('login.enroll.openApp')}
                </a>
              </div>
              <Typography.Text type="secondary" className="jy-secret-meta">
                {t('login.enroll.meta')}
              </Typography.Text>
            </li>
            <li>{t('login.enroll.step3')}</li>
          </ol>
          <CodeForm
            pending={enable.isPending}
            submitLabel={t('login.enroll.submit')}
            onSubmit={(code, reset) => enable.mutate(code, { onError: reset })}
          />
        </>
      )}
    </>
  );
}

type PasswordForm = { currentPassword: string; newPassword: string; confirm: string };

function PasswordStep({ onAnswer, onError }: StepProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<PasswordForm>();
  const change = useMutation({
    mutationFn: (v: PasswordForm) => authApi.changePassword(v.currentPassword, v.newPassword),
    onSuccess: onAnswer,
    onError,
  });
  return (
    <Form form={form} name="change-password" layout="vertical" requiredMark={false} onFinish={(v) => change.mutate(v)}>
      <Typography.Title level={4} className="jy-login-heading">
        {t('login.password.heading')}
      </Typography.Title>
      <Alert type="info" showIcon title={t('password.rule')} style={{ marginBottom: 16 }} />
      <Form.Item
        name="currentPassword"
        label={t('login.password.current')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Input.Password autoComplete="current-password" autoFocus data-testid="password-current" maxLength={256} />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('login.password.new')}
        rules={[
          { required: true, message: t('form.required') },
          {
            // residents may have a lighter rule: warn here, the server decides
            warningOnly: true,
            validator: (_, v: string | undefined) =>
              !v || meetsStaffRule(v) ? Promise.resolve() : Promise.reject(new Error(t('password.weak'))),
          },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" maxLength={256} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('login.password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('form.required') },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              !v || v === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" maxLength={256} />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={change.isPending} data-testid="password-submit">
        {t('login.password.submit')}
      </Button>
    </Form>
  );
}
