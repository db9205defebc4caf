import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { WORKBOOK_KEY } from './useAutosave';

export const useFlow = () => useQuery({ queryKey: ['flow'], queryFn: api.flow, staleTime: Infinity });

export const useWorkbookState = () =>
  // The autosave queue owns the workbook while it is open; a refetch would race its saves.
  useQuery({ queryKey: WORKBOOK_KEY, queryFn: api.workbook, staleTime: Infinity });

export const useWorkbookRuns = () => useQuery({ queryKey: ['workbook', 'runs'], queryFn: async () => (await api.workbookRuns()).runs });
