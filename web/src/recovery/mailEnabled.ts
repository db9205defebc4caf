import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/**
 * Whether this Mosaic sends mail (who-am-I says so): verifying and changing an address need
 * it. Asked only for a registered person (`ask`), once per session change.
 */
export function useMailEnabled(ask: boolean): boolean {
  const query = useQuery({
    queryKey: ['mail-enabled'],
    queryFn: async () => (await api.me()).mailEnabled,
    enabled: ask,
    staleTime: Infinity,
  });
  return query.data === true;
}
