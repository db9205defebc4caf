import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client';
import { API } from '../api/routes';
import type { Ps101Flow, RunDetail, RunList, WorkbookState, WorkbookUpdate } from '../api/types';
import { retryWhileUnreachable } from '../app/recovery';
import { workbookKeys } from './keys';

export { workbookKeys };

/** The workbook's calls: the flow, the live run and its saves, the runs kept. */
export const workbookApi = {
  flow: () => call<Ps101Flow>(API.flow),
  workbook: () => call<WorkbookState>(API.workbook),
  save: (update: WorkbookUpdate) => call<WorkbookState>(API.saveWorkbook, { body: update }),
  restart: () => call<WorkbookState>(API.restartWorkbook),
  runs: () => call<RunList>(API.workbookRuns),
  run: (id: number) => call<RunDetail>(API.workbookRun, { params: { id } }),
};

export const useFlow = () => useQuery({ queryKey: workbookKeys.flow(), queryFn: workbookApi.flow, staleTime: 3_600_000 });

/**
 * The live workbook, fetched afresh each time the screen opens (another device may have written);
 * when that fails (offline), the last acknowledged state kept on the device is used. While the
 * screen is open the autosave queue owns it: no refetch races its saves.
 */
export const useWorkbookState = () =>
  useQuery({
    queryKey: workbookKeys.live(),
    queryFn: workbookApi.workbook,
    staleTime: Infinity,
    refetchOnMount: 'always',
    retry: false,
    // Tried again while nothing is shown; once shown, the autosave queue owns it.
    refetchInterval: (query) => (query.state.data === undefined ? retryWhileUnreachable(query) : false),
  });

export const useWorkbookRuns = () => useQuery({ queryKey: workbookKeys.runs(), queryFn: async () => (await workbookApi.runs()).runs });
