import { useQuery } from '@tanstack/react-query';
import { caseApi } from '../../api/endpoints.ts';

/** The case categories (大类 and 小类) the user may use; they change rarely. */
export const useCategories = () =>
  useQuery({ queryKey: ['cases', 'categories'], queryFn: caseApi.categories, staleTime: 300_000 });
