import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/client.ts';
import { showError } from './notify.ts';

declare module '@tanstack/react-query' {
  interface Register {
    /** `silent: true` = the component shows the error itself. */
    queryMeta: { silent?: boolean };
    mutationMeta: { silent?: boolean };
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      if (!query.meta?.silent) showError(err);
    },
  }),
  mutationCache: new MutationCache({
    onError: (err, _vars, _ctx, mutation) => {
      if (!mutation.meta?.silent) showError(err);
    },
  }),
  defaultOptions: {
    queries: {
      // 4xx answers will not change by asking again; network and 5xx failures get one more try
      retry: (count, err) => !(isApiError(err) && err.status >= 400 && err.status < 500) && count < 1,
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
    mutations: { retry: false },
  },
});
