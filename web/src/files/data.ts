import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../api/client';
import { API, pathOf } from '../api/routes';
import type { FileList } from '../api/types';

/** The files' query keys: every screen that lists files reads the one list. */
export const fileKeys = {
  all: ['files'] as const,
  list: () => fileKeys.all,
};

export const fetchFiles = () => call<FileList>(API.files);
export const deleteFile = (id: number) => call<void>(API.deleteFile, { params: { id } });
export const fileContentUrl = (id: number) => pathOf(API.fileContent, { id });

/** The list with the server's upload limits (the Files screen). */
export const useFileList = () => useQuery({ queryKey: fileKeys.list(), queryFn: fetchFiles });

/** Only the files (the Résumés screen picks one), from the same query. */
export const useFiles = () => useQuery({ queryKey: fileKeys.list(), queryFn: fetchFiles, select: (data) => data.files });

export function useDeleteFile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteFile,
    onSuccess: () => void client.invalidateQueries({ queryKey: fileKeys.all }),
  });
}
