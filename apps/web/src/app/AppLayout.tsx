import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  CompassOutlined,
  EnvironmentOutlined,
  FormOutlined,
  GlobalOutlined,
  HomeOutlined,
  LogoutOutlined,
  MenuOutlined,
  ProjectOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Grid, Layout, Menu, type MenuProps, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { authApi } from '../api/endpoints.ts';
import { access } from './access.ts';
import { useI18n } from './i18n.tsx';
import { LangSwitch } from './LangSwitch.tsx';
import { Logo, LogoMark } from './Logo.tsx';
import { useUser } from './session.tsx';

const { Header, Sider, Content } = Layout;

function useMenuItems(): MenuProps['items'] {
  const { t } = useI18n();
  const user = useUser();
  const items: NonNullable<MenuProps['items']> = [
    { key: '/', icon: <HomeOutlined />, label: <Link to="/">{t('nav.home')}</Link> },
  ];
  const add = (key: string, icon: ReactNode, label: string) =>
    items.push({
      key,
      icon,
      label: (
        <Link to={key} data-testid={`nav-${key.slice(1).replace('/', '-')}`}>
          {label}
        </Link>
      ),
    });
  if (access.registry(user)) add('/registry', <SolutionOutlined />, t('nav.registry'));
  if (access.map(user)) add('/map', <GlobalOutlined />, t('nav.map'));
  if (access.cases(user)) add('/cases', <AlertOutlined />, t('nav.cases'));
  if (access.dispatchBoard(user)) add('/cases/board', <ProjectOutlined />, t('nav.caseBoard'));
  if (access.intake(user)) add('/cases/new', <FormOutlined />, t('nav.caseIntake'));
  if (access.fieldwork(user)) add('/fieldwork', <CompassOutlined />, t('nav.fieldwork'));
  if (access.jurisdictions(user)) {
    items.push({
      key: '/jurisdictions',
      icon: <ApartmentOutlined />,
      label: <Link to="/jurisdictions">{t('nav.jurisdictions')}</Link>,
    });
  }
  if (access.viewUsers(user)) {
    items.push({ key: '/users', icon: <TeamOutlined />, label: <Link to="/users">{t('nav.users')}</Link> });
  }
  if (access.audit(user)) {
    items.push({ key: '/audit', icon: <AuditOutlined />, label: <Link to="/audit">{t('nav.audit')}</Link> });
  }
  items.push({ type: 'divider' });
  items.push({
    key: 'api-docs',
    icon: <ApiOutlined />,
    label: (
      <a href="/api/docs" target="_blank" rel="noreferrer" data-testid="nav-api-docs">
        {t('nav.apiDocs')}
      </a>
    ),
  });
  return items;
}

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/cases/board')) return '/cases/board';
  if (pathname === '/cases/new') return '/cases/new';
  const first = pathname.split('/')[1];
  return first ? `/${first}` : '/';
}

export function AppLayout() {
  const { t, roleLabel } = useI18n();
  const user = useUser();
  const screens = Grid.useBreakpoint();
  const wide = screens.lg ?? true;
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const items = useMenuItems();

  const logout = async () => {
    setLoggingOut(true);
    try {
      await authApi.logout();
    } catch {
      // the session may already be gone; signing out locally is what matters
    }
    await navigate('/login', { replace: true });
    qc.removeQueries();
  };

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selectedKey(location.pathname)]}
      items={items}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 'none' }}
      data-testid="main-menu"
    />
  );

  return (
    <Layout className="jy-shell">
      {wide && (
        <Sider width={220} theme="light" className="jy-sider" style={{ position: 'sticky' }}>
          <Logo />
          {menu}
        </Sider>
      )}
      {!wide && (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={260}
          title={<Logo compact />}
          styles={{ body: { padding: 0 } }}
        >
          {menu}
        </Drawer>
      )}
      <Layout>
        <Header className="jy-header" style={{ paddingInline: wide ? 24 : 8 }}>
          {!wide && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('nav.openMenu')}
              onClick={() => setDrawerOpen(true)}
              data-testid="menu-toggle"
            />
          )}
          {!wide && (
            <span className="jy-header-brand">{screens.sm ? <Logo compact inline /> : <LogoMark size={26} />}</span>
          )}
          <div className="jy-header-spacer" />
          <Space size={wide ? 'middle' : 'small'} className="jy-header-right" wrap={false}>
            {screens.md && (
              <Tooltip title={`${user.jurisdiction.name} · ${user.jurisdiction.code}`}>
                <span className="jy-header-item" data-testid="header-jurisdiction">
                  <EnvironmentOutlined /> {user.jurisdiction.name}
                </span>
              </Tooltip>
            )}
            {screens.xl && (
              <span className="jy-header-item" data-testid="header-roles">
                {user.roles.map((r) => (
                  <Tag key={r} color="blue" style={{ marginInlineEnd: 4 }}>
                    {roleLabel(r)}
                  </Tag>
                ))}
              </span>
            )}
            <Tooltip title={screens.xl ? user.username : user.roles.map(roleLabel).join('、')}>
              <Typography.Text strong className="jy-header-item jy-header-user" data-testid="header-user">
                <UserOutlined /> {user.displayName}
              </Typography.Text>
            </Tooltip>
            <LangSwitch size="small" />
            <Button
              size="small"
              icon={<LogoutOutlined />}
              onClick={() => void logout()}
              loading={loggingOut}
              data-testid="logout"
              aria-label={t('nav.logout')}
            >
              {wide ? t('nav.logout') : null}
            </Button>
          </Space>
        </Header>
        <Content className="jy-content">
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
