import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { AppLayout } from './AppLayout.tsx';
import { access } from './access.ts';
import { NotFoundPage } from './ErrorPages.tsx';
import { FullPageSpin, PageSpin } from './FullPageSpin.tsx';
import { RequireAccess, RequireAuth } from './session.tsx';

const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx'));
const HomePage = lazy(() => import('../features/home/HomePage.tsx'));
const JurisdictionsPage = lazy(() => import('../features/jurisdictions/JurisdictionsPage.tsx'));
const UsersPage = lazy(() => import('../features/users/UsersPage.tsx'));
const AuditPage = lazy(() => import('../features/audit/AuditPage.tsx'));

const page = (node: ReactNode) => <Suspense fallback={<PageSpin />}>{node}</Suspense>;

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<FullPageSpin />}>
        <LoginPage />
      </Suspense>
    ),
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: page(<HomePage />) },
          {
            path: 'jurisdictions',
            element: page(
              <RequireAccess allow={access.jurisdictions}>
                <JurisdictionsPage />
              </RequireAccess>,
            ),
          },
          {
            path: 'users',
            element: page(
              <RequireAccess allow={access.viewUsers}>
                <UsersPage />
              </RequireAccess>,
            ),
          },
          {
            path: 'audit',
            element: page(
              <RequireAccess allow={access.audit}>
                <AuditPage />
              </RequireAccess>,
            ),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
