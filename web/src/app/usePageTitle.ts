import { useEffect } from 'react';

/** Names the screen in the browser's tab, history and bookmarks: `<title> · Mosaic`. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Mosaic`;
  }, [title]);
}
