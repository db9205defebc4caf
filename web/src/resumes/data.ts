import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../api/client';
import { API, pathOf } from '../api/routes';
import type { Comparison, NewResume, PublicResume, ResumeSummary, ResumeVersionSummary, StoredFeedback } from '../api/types';

// The résumé feature's data layer: its fetchers, query keys and hooks. Screens use only these.

export const resumeKeys = {
  all: ['resumes'] as const,
  list: () => [...resumeKeys.all, 'list'] as const,
  detail: (id: number) => [...resumeKeys.all, 'detail', id] as const,
  versions: (id: number) => [...resumeKeys.all, 'detail', id, 'versions'] as const,
  comparison: (id: number, from: number, to: number) => [...resumeKeys.all, 'detail', id, 'compare', from, to] as const,
};

export type DownloadFormat = 'pdf' | 'docx' | 'txt';

export const resumeApi = {
  list: async () => (await call<{ resumes: ResumeSummary[] }>(API.resumes)).resumes,
  get: async (id: number) => (await call<{ resume: PublicResume }>(API.resume, { params: { id } })).resume,
  create: async (body: NewResume) => (await call<{ resume: PublicResume }>(API.createResume, { body })).resume,
  save: async (id: number, body: { revision: number; content: string }) =>
    (await call<{ resume: PublicResume }>(API.saveResume, { params: { id }, body })).resume,
  rename: async (id: number, name: string) => (await call<{ resume: PublicResume }>(API.renameResume, { params: { id }, body: { name } })).resume,
  duplicate: async (id: number) => (await call<{ resume: PublicResume }>(API.duplicateResume, { params: { id }, body: {} })).resume,
  remove: (id: number) => call<void>(API.deleteResume, { params: { id } }),
  review: async (id: number) => (await call<{ feedback: StoredFeedback }>(API.resumeFeedback, { params: { id } })).feedback,
  versions: async (id: number) => (await call<{ versions: ResumeVersionSummary[] }>(API.resumeVersions, { params: { id } })).versions,
  compare: async (id: number, from: number, to: number) =>
    (await call<{ comparison: Comparison }>(API.compareResumeVersions, { params: { id }, query: { from, to } })).comparison,
  /** A link that downloads the version (the browser sends the session cookie). */
  downloadUrl: (id: number, revision: number, format: DownloadFormat) =>
    `${pathOf(API.downloadResume, { id, revision })}?format=${format}`,
};

// While Mosaic cannot be reached the last answer stays on screen; asking again every few seconds
// brings the page back by itself when the server returns (no reload needed).
const RECOVERY_INTERVAL_MS = 3_000;
const retryWhileFailing = (query: { state: { status: string } }) => (query.state.status === 'error' ? RECOVERY_INTERVAL_MS : false);

export const useResumes = () => useQuery({ queryKey: resumeKeys.list(), queryFn: resumeApi.list, refetchInterval: retryWhileFailing });

export const useResume = (id: number) =>
  useQuery({ queryKey: resumeKeys.detail(id), queryFn: () => resumeApi.get(id), refetchInterval: retryWhileFailing });

export const useVersions = (id: number) => useQuery({ queryKey: resumeKeys.versions(id), queryFn: () => resumeApi.versions(id) });

export const useComparison = (id: number, from: number | null, to: number | null) =>
  useQuery({
    queryKey: resumeKeys.comparison(id, from ?? 0, to ?? 0),
    queryFn: () => resumeApi.compare(id, from!, to!),
    enabled: from !== null && to !== null && from !== to,
    staleTime: Infinity,
  });

/** Keeps the cached résumé (and the list's summary of it) equal to what the server answered. */
function useStoreResume() {
  const client = useQueryClient();
  return (resume: PublicResume) => {
    client.setQueryData(resumeKeys.detail(resume.id), resume);
    void client.invalidateQueries({ queryKey: resumeKeys.list() });
    void client.invalidateQueries({ queryKey: resumeKeys.versions(resume.id) });
  };
}

export function useCreateResume() {
  const store = useStoreResume();
  return useMutation({
    mutationFn: async (body: NewResume) => {
      const resume = await resumeApi.create(body);
      const feedback = await resumeApi.review(resume.id);
      return { ...resume, feedback: [feedback] };
    },
    onSuccess: store,
  });
}

export function useSaveResume(id: number) {
  const store = useStoreResume();
  return useMutation({ mutationFn: (body: { revision: number; content: string }) => resumeApi.save(id, body), onSuccess: store });
}

export function useRenameResume(id: number) {
  const store = useStoreResume();
  return useMutation({ mutationFn: (name: string) => resumeApi.rename(id, name), onSuccess: store });
}

export function useDuplicateResume(id: number) {
  const store = useStoreResume();
  return useMutation({ mutationFn: () => resumeApi.duplicate(id), onSuccess: store });
}

export function useDeleteResume() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: resumeApi.remove,
    onSuccess: (_nothing, id) => {
      client.removeQueries({ queryKey: resumeKeys.detail(id) });
      void client.invalidateQueries({ queryKey: resumeKeys.list() });
    },
  });
}

export function useReview(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => resumeApi.review(id),
    onSuccess: (feedback) => {
      client.setQueryData<PublicResume>(resumeKeys.detail(id), (resume) => resume && { ...resume, feedback: [feedback, ...resume.feedback] });
    },
  });
}
