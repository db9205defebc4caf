import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { retryWhileUnreachable } from '../app/recovery';
import { workbookKeys } from './keys';
import { WORKBOOK_KEY } from './useAutosave';

export { workbookKeys };

export const useFlow = () => useQuery({ queryKey: workbookKeys.flow(), queryFn: api.flow, staleTime: 3_600_000 });

/**
 * The live workbook, fetched afresh each time the screen opens (another device may have written);
 * when that fails (offline), the last acknowledged state kept on the device is used. While the
 * screen is open the autosave queue owns it: no refetch races its saves.
 */
export const useWorkbookState = () =>
  useQuery({
    queryKey: WORKBOOK_KEY,
    queryFn: api.workbook,
    staleTime: Infinity,
    refetchOnMount: 'always',
    retry: false,
    // Tried again while nothing is shown; once shown, the autosave queue owns it.
    refetchInterval: (query) => (query.state.data === undefined ? retryWhileUnreachable(query) : false),
  });

export const useWorkbookRuns = () => useQuery({ queryKey: workbookKeys.runs(), queryFn: async () => (await api.workbookRuns()).runs });
