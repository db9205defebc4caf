import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The screen's <h1>. It takes the focus when the screen opens, so a keyboard or screen-reader
 * user lands at the top of the new content after navigating.
 */
export function ScreenHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="screen-heading">
      {children}
    </h1>
  );
}
