import { Link } from 'react-router';
import { ScreenHeading } from './ScreenHeading';
import { usePageTitle } from './usePageTitle';

export function NotFoundScreen() {
  usePageTitle('Page not found');
  return (
    <section>
      <ScreenHeading>Page not found</ScreenHeading>
      <p>
        There is nothing at this address. <Link to="/">Go to the start</Link>.
      </p>
    </section>
  );
}
