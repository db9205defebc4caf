import { useQuery } from '@tanstack/react-query';
import { call } from './client';
import { API } from './routes';
import type { PublicJobMatch } from './types';

/**
 * The person's job matches as choices (id and title) for a form that links to one, e.g. the
 * résumé a person writes for a role. Shared here because web features may not import each
 * other; it reads the same endpoint as the matches screen under its own key, and only the
 * fields a picker needs, so it never competes with that screen's own query and cache.
 */
export type MatchChoice = Pick<PublicJobMatch, 'id' | 'title'>;

export const matchChoicesKey = ['match-choices'] as const;

export const useMatchChoices = () =>
  useQuery({
    queryKey: matchChoicesKey,
    queryFn: async (): Promise<MatchChoice[]> =>
      (await call<{ matches: PublicJobMatch[] }>(API.matches)).matches.map(({ id, title }) => ({ id, title })),
  });
