import { useEffect } from 'react';

/** Names the screen in the browser's tab and history: "<title> · Mosaic". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Mosaic`;
  }, [title]);
}
