import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect } from 'react';
import { RouterProvider } from 'react-router';
import { setUnauthorizedHandler } from '../api/client.ts';
import { I18nProvider, useI18n } from './i18n.tsx';
import { setNotifier, showError } from './notify.ts';
import { queryClient } from './queryClient.ts';
import { router } from './router.tsx';
import { ME_KEY } from './session.tsx';

/** A 401 outside the sign-in steps: forget the session; <RequireAuth/> then sends the user to /login?next=… */
setUnauthorizedHandler((err) => {
  showError(err);
  queryClient.setQueryData(ME_KEY, null);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
});

function NotifierBridge() {
  const app = AntApp.useApp();
  useEffect(() => setNotifier(app), [app]);
  return null;
}

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCN : enUS}
      theme={{
        token: {
          colorPrimary: '#1d5fbf',
          borderRadius: 6,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
        components: {
          Layout: { headerBg: '#fff', headerHeight: 56, headerPadding: '0 24px', siderBg: '#fff', bodyBg: '#f3f5f9' },
        },
      }}
    >
      <AntApp message={{ maxCount: 3 }}>
        <NotifierBridge />
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <Themed />
      </QueryClientProvider>
    </I18nProvider>
  );
}
