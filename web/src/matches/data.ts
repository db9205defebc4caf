import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../api/client';
import { API } from '../api/routes';
import type { JobFields, JobStatus, MatchWithHistory, PublicJobMatch, Refresh, TrackedJob, TrackedJobDetail, TrackedJobList } from '../api/types';
import { reachabilityOf } from '../app/connection';

// The jobs feature's data: its fetchers, its query keys and its hooks. Screens use only these.

export const jobKeys = {
  all: ['jobs'] as const,
  tracked: () => [...jobKeys.all, 'tracked'] as const,
  trackedJob: (id: number) => [...jobKeys.tracked(), id] as const,
  matches: () => [...jobKeys.all, 'matches'] as const,
  match: (id: number) => [...jobKeys.matches(), id] as const,
};

/** What a new job or an edit may send; blank text clears a field. */
export type JobInput = JobFields;

export const fetchers = {
  matches: () => call<{ matches: PublicJobMatch[] }>(API.matches),
  refreshMatches: () => call<Refresh>(API.refreshMatches),
  match: (id: number) => call<{ match: MatchWithHistory }>(API.match, { params: { id } }),
  addMatchToJobs: (id: number) => call<TrackedJobDetail>(API.addMatchToJobs, { params: { id } }),
  jobs: () => call<TrackedJobList>(API.jobs),
  job: (id: number) => call<TrackedJobDetail>(API.job, { params: { id } }),
  createJob: (body: JobInput & { status?: JobStatus }) => call<TrackedJobDetail>(API.createJob, { body }),
  editJob: (id: number, body: Partial<JobInput> & { version: number }) => call<TrackedJobDetail>(API.editJob, { params: { id }, body }),
  moveJob: (id: number, status: JobStatus) => call<TrackedJobDetail>(API.moveJob, { params: { id }, body: { status } }),
  deleteJob: (id: number) => call<void>(API.deleteJob, { params: { id } }),
};

/**
 * While Mosaic (or the network) cannot be reached, ask again every few seconds, so the screen
 * recovers by itself when it is back; the data last shown stays meanwhile.
 */
export const RETRY_WHILE_UNREACHABLE_MS = 5_000;
const retryWhileUnreachable = (query: { state: { status: string; error: unknown } }): number | false =>
  query.state.status === 'error' && reachabilityOf(query.state.error) !== 'reachable' ? RETRY_WHILE_UNREACHABLE_MS : false;

/** The person's catalogue matches, best first. */
export function useMatches() {
  return useQuery({
    queryKey: jobKeys.matches(),
    queryFn: async () => (await fetchers.matches()).matches,
    refetchInterval: retryWhileUnreachable,
  });
}

export function useRefreshMatches() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fetchers.refreshMatches,
    onSuccess: (result) => client.setQueryData(jobKeys.matches(), result.matches),
  });
}

/** "Add to my jobs": the match becomes a job on the board (the existing one when added before). */
export function useAddMatchToJobs() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (matchId: number) => fetchers.addMatchToJobs(matchId),
    onSuccess: ({ job }) => {
      client.setQueryData<TrackedJobList>(jobKeys.tracked(), (list) =>
        list && !list.jobs.some((j) => j.id === job.id) ? { ...list, jobs: [...list.jobs, job] } : list,
      );
    },
  });
}

/** The person's own jobs. */
export function useTrackedJobs() {
  return useQuery({
    queryKey: jobKeys.tracked(),
    queryFn: fetchers.jobs,
    refetchInterval: retryWhileUnreachable,
  });
}

export function useTrackedJob(id: number, enabled: boolean) {
  return useQuery({ queryKey: jobKeys.trackedJob(id), queryFn: async () => (await fetchers.job(id)).job, enabled });
}

function replaceJob(list: TrackedJobList | undefined, job: TrackedJob): TrackedJobList | undefined {
  return list && { ...list, jobs: list.jobs.map((j) => (j.id === job.id ? stripHistory(job) : j)) };
}

function stripHistory(job: TrackedJob & { history?: unknown }): TrackedJob {
  const { history: _history, ...rest } = job;
  return rest;
}

export function useCreateJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fetchers.createJob,
    onSuccess: ({ job }) => {
      client.setQueryData<TrackedJobList>(jobKeys.tracked(), (list) => list && { ...list, jobs: [...list.jobs, stripHistory(job)] });
      client.setQueryData(jobKeys.trackedJob(job.id), job);
    },
  });
}

export function useEditJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: Partial<JobInput> & { id: number; version: number }) => fetchers.editJob(id, body),
    onSuccess: ({ job }) => {
      client.setQueryData<TrackedJobList>(jobKeys.tracked(), (list) => replaceJob(list, job));
      client.setQueryData(jobKeys.trackedJob(job.id), job);
    },
  });
}

/**
 * Moves a card to another column. The board shows the move at once; when the server refuses
 * or cannot be reached, the card goes back where it was and the error says why.
 */
export function useMoveJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: number; status: JobStatus }) => fetchers.moveJob(id, status),
    onMutate: async ({ id, status }) => {
      await client.cancelQueries({ queryKey: jobKeys.tracked(), exact: true });
      const before = client.getQueryData<TrackedJobList>(jobKeys.tracked());
      client.setQueryData<TrackedJobList>(jobKeys.tracked(), (list) => list && { ...list, jobs: list.jobs.map((j) => (j.id === id ? { ...j, status } : j)) });
      return { before };
    },
    onError: (_error, _move, context) => {
      if (context?.before) client.setQueryData(jobKeys.tracked(), context.before);
    },
    onSuccess: ({ job }) => {
      client.setQueryData<TrackedJobList>(jobKeys.tracked(), (list) => replaceJob(list, job));
      client.setQueryData(jobKeys.trackedJob(job.id), job);
    },
  });
}

export function useDeleteJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => fetchers.deleteJob(id),
    onSuccess: (_nothing, id) => {
      client.setQueryData<TrackedJobList>(jobKeys.tracked(), (list) => list && { ...list, jobs: list.jobs.filter((j) => j.id !== id) });
      client.removeQueries({ queryKey: jobKeys.trackedJob(id) });
    },
  });
}
