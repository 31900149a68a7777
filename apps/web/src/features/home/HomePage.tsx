import {
  ApartmentOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  EnvironmentOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { Role } from '@jiayuan/contracts';
import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { access } from '../../app/access.ts';
import { type MessageKey, useI18n } from '../../app/i18n.tsx';
import { useUser } from '../../app/session.tsx';

const greetingKey = (): MessageKey => {
  const h = dayjs().hour();
  return h < 11 ? 'home.morning' : h < 18 ? 'home.afternoon' : 'home.evening';
};

export default function HomePage() {
  const { t, roleLabel, levelLabel } = useI18n();
  const user = useUser();

  const shortcuts: { to: string; icon: ReactNode; title: string; desc: string }[] = [];
  if (access.jurisdictions(user)) {
    shortcuts.push({
      to: '/jurisdictions',
      icon: <ApartmentOutlined />,
      title: t('nav.jurisdictions'),
      desc: t('home.shortcut.jurisdictions'),
    });
  }
  if (access.viewUsers(user)) {
    shortcuts.push({ to: '/users', icon: <TeamOutlined />, title: t('nav.users'), desc: t('home.shortcut.users') });
  }
  if (access.audit(user)) {
    shortcuts.push({ to: '/audit', icon: <AuditOutlined />, title: t('nav.audit'), desc: t('home.shortcut.audit') });
  }

  return (
    <div className="jy-page" data-testid="home-page">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card className="jy-welcome" data-testid="welcome-card">
            <Typography.Title level={3} style={{ marginTop: 0 }}>
              {t(greetingKey(), { name: user.displayName })}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
            <Descriptions
              column={1}
              size="small"
              className="jy-welcome-desc"
              items={[
                {
                  key: 'jurisdiction',
                  label: (
                    <>
                      <EnvironmentOutlined /> {t('home.jurisdiction')}
                    </>
                  ),
                  children: (
                    <span data-testid="home-jurisdiction">
                      {user.jurisdiction.name}{' '}
                      <Typography.Text type="secondary">
                        {levelLabel(user.jurisdiction.level)} · {user.jurisdiction.code}
                      </Typography.Text>
                    </span>
                  ),
                },
                {
                  key: 'roles',
                  label: (
                    <>
                      <TeamOutlined /> {t('home.roles')}
                    </>
                  ),
                  children: (
                    <span data-testid="home-roles">
                      {user.roles.map((r) => (
                        <Tag key={r} color="blue">
                          {roleLabel(r)}
                        </Tag>
                      ))}
                    </span>
                  ),
                },
                {
                  key: 'idle',
                  label: (
                    <>
                      <ClockCircleOutlined /> {t('home.idle')}
                    </>
                  ),
                  children: <span data-testid="home-idle">{t('home.idleValue', { minutes: user.idleMinutes })}</span>,
                },
                {
                  key: 'mfa',
                  label: (
                    <>
                      <SafetyCertificateOutlined /> {t('home.mfa')}
                    </>
                  ),
                  children: user.mfaEnabled ? (
                    <Tag color="green">{t('home.mfaOn')}</Tag>
                  ) : (
                    <Tag>{t('home.mfaOff')}</Tag>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('home.whatYouDo')} data-testid="role-duties">
            <ul className="jy-duties">
              {user.roles.map((r: Role) => (
                <li key={r}>
                  <Typography.Text strong>{roleLabel(r)}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary">{t(`role.desc.${r}`)}</Typography.Text>
                  </div>
                </li>
              ))}
            </ul>
          </Card>
        </Col>
        {shortcuts.length > 0 && (
          <Col span={24}>
            <Row gutter={[16, 16]}>
              {shortcuts.map((s) => (
                <Col key={s.to} xs={24} md={8}>
                  <Link to={s.to}>
                    <Card hoverable className="jy-shortcut">
                      <span className="jy-shortcut-icon">{s.icon}</span>
                      <div>
                        <Typography.Text strong>{s.title}</Typography.Text>
                        <div>
                          <Typography.Text type="secondary">{s.desc}</Typography.Text>
                        </div>
                      </div>
                    </Card>
                  </Link>
                </Col>
              ))}
            </Row>
          </Col>
        )}
      </Row>
    </div>
  );
}
