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
const RegistryPage = lazy(() => import('../features/registry/RegistryPage.tsx'));
const ResidentDetailPage = lazy(() => import('../features/registry/ResidentDetailPage.tsx'));
const ResidentFormPage = lazy(() => import('../features/registry/ResidentFormPage.tsx'));
const GridMapPage = lazy(() => import('../features/map/GridMapPage.tsx'));
const CaseListPage = lazy(() => import('../features/cases/CaseListPage.tsx'));
const DispatchBoardPage = lazy(() => import('../features/cases/DispatchBoardPage.tsx'));
const CaseDetailPage = lazy(() => import('../features/cases/CaseDetailPage.tsx'));
const CaseIntakePage = lazy(() => import('../features/cases/CaseIntakePage.tsx'));
const FieldworkPage = lazy(() => import('../features/fieldwork/FieldworkPage.tsx'));
const PatrolDetailPage = lazy(() => import('../features/fieldwork/PatrolDetailPage.tsx'));

const page = (node: ReactNode) => <Suspense fallback={<PageSpin />}>{node}</Suspense>;
/** A lazy page behind a page-level access rule (403 otherwise). */
const guarded = (allow: (typeof access)[keyof typeof access], node: ReactNode) =>
  page(<RequireAccess allow={allow}>{node}</RequireAccess>);

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
          { path: 'registry', element: guarded(access.registry, <RegistryPage />) },
          { path: 'registry/residents/new', element: guarded(access.writeResidents, <ResidentFormPage />) },
          { path: 'registry/residents/:id', element: guarded(access.residents, <ResidentDetailPage />) },
          { path: 'registry/residents/:id/edit', element: guarded(access.writeResidents, <ResidentFormPage />) },
          { path: 'map', element: guarded(access.map, <GridMapPage />) },
          { path: 'cases', element: guarded(access.cases, <CaseListPage />) },
          { path: 'cases/board', element: guarded(access.dispatchBoard, <DispatchBoardPage />) },
          { path: 'cases/new', element: guarded(access.intake, <CaseIntakePage />) },
          { path: 'cases/:id', element: guarded(access.cases, <CaseDetailPage />) },
          { path: 'fieldwork', element: guarded(access.fieldwork, <FieldworkPage />) },
          { path: 'fieldwork/patrols/:id', element: guarded(access.fieldwork, <PatrolDetailPage />) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
