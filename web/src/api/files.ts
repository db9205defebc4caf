import { useQuery } from '@tanstack/react-query';
import { api } from './client';

// The person's files, shared by the screens that list them (Files) or pick one (Résumés).
export const FILES_KEY = ['files'] as const;
export const useFiles = () => useQuery({ queryKey: FILES_KEY, queryFn: async () => (await api.files()).files });
