import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  ClockCircleOutlined,
  CompassOutlined,
  EnvironmentOutlined,
  FormOutlined,
  GlobalOutlined,
  ProjectOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
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
  // The day's work first: taking calls, the cases, the board; then the registry, the map and field work.
  if (access.intake(user)) {
    shortcuts.push({
      to: '/cases/new',
      icon: <FormOutlined />,
      title: t('nav.caseIntake'),
      desc: t('home.shortcut.intake'),
    });
  }
  if (access.cases(user)) {
    shortcuts.push({ to: '/cases', icon: <AlertOutlined />, title: t('nav.cases'), desc: t('home.shortcut.cases') });
  }
  if (access.dispatchBoard(user)) {
    shortcuts.push({
      to: '/cases/board',
      icon: <ProjectOutlined />,
      title: t('nav.caseBoard'),
      desc: t('home.shortcut.board'),
    });
  }
  if (access.registry(user)) {
    shortcuts.push({
      to: '/registry',
      icon: <SolutionOutlined />,
      title: t('nav.registry'),
      desc: access.residents(user) ? t('home.shortcut.registry') : t('home.shortcut.places'),
    });
  }
  if (access.map(user)) {
    shortcuts.push({ to: '/map', icon: <GlobalOutlined />, title: t('nav.map'), desc: t('home.shortcut.map') });
  }
  if (access.fieldwork(user)) {
    shortcuts.push({
      to: '/fieldwork',
      icon: <CompassOutlined />,
      title: t('nav.fieldwork'),
      desc: t('home.shortcut.fieldwork'),
    });
  }
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
                  <Link to={s.to} className="jy-shortcut-link">
                    <Card hoverable className="jy-shortcut" data-testid={`shortcut-${s.to.slice(1).replace('/', '-')}`}>
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
