import { useEffect } from 'react';

/** Names the screen in the browser tab and history: "<title> · Mosaic". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Mosaic`;
  }, [title]);
}
