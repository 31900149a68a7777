import type { TSessionUser } from '@jiayuan/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { authApi } from '../api/endpoints.ts';
import { ForbiddenPage } from './ErrorPages.tsx';
import { FullPageSpin } from './FullPageSpin.tsx';

export const ME_KEY = ['auth', 'me'] as const;

export const useMe = () =>
  useQuery({ queryKey: ME_KEY, queryFn: authApi.me, staleTime: 60_000, refetchOnWindowFocus: true });

/** The signed-in user; only call below <RequireAuth/>. */
export const useUser = (): TSessionUser => {
  const { data } = useMe();
  if (!data) throw new Error('useUser outside RequireAuth');
  return data;
};

export const useSetSessionUser = () => {
  const qc = useQueryClient();
  return (user: TSessionUser | null) => qc.setQueryData(ME_KEY, user);
};

/** Only a same-site path may be a post-login target (no open redirect). */
export const safeNext = (next: string | null | undefined): string =>
  next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';

export function RequireAuth() {
  const { data, isPending, isError, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageSpin />;
  if (isError) return <FullPageSpin error={error} onRetry={() => void refetch()} />;
  if (!data) {
    const here = location.pathname + location.search;
    const to = here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  return <Outlet />;
}

/** Shows 403 unless the signed-in user may open this page. */
export function RequireAccess({ allow, children }: { allow: (u: TSessionUser) => boolean; children: ReactNode }) {
  const user = useUser();
  return allow(user) ? children : <ForbiddenPage />;
}
