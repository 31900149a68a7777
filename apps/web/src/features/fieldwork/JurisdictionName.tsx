import { useQuery } from '@tanstack/react-query';
import { jurisdictionApi } from '../../api/endpoints.ts';

/** A jurisdiction's name from its id (patrols and records carry only the id); cached per node. */
export function JurisdictionName({ id }: { id: string }) {
  const node = useQuery({
    queryKey: ['jurisdiction', id],
    queryFn: () => jurisdictionApi.get(id),
    staleTime: 300_000,
    meta: { silent: true },
  });
  return <>{node.data?.name ?? '…'}</>;
}
