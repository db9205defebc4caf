import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { AuthScreen } from '../auth/AuthScreen';
import { ForgotPasswordScreen } from '../recovery/ForgotPasswordScreen';
import { ResetPasswordScreen } from '../recovery/ResetPasswordScreen';
import { TokenLinkScreen } from '../recovery/TokenLinkScreen';
import { WelcomeScreen } from '../welcome/WelcomeScreen';
import { Layout } from './Layout';
import { NotFoundScreen } from './NotFoundScreen';
import { RequireSession } from './RequireSession';

// Screens past the first page load on demand, keeping the first page's JavaScript small.
const WorkbookScreen = lazy(() => import('../workbook/WorkbookScreen'));
const PastRunScreen = lazy(() => import('../workbook/PastRunScreen'));
const ChatScreen = lazy(() => import('../chat/ChatScreen'));
const FilesScreen = lazy(() => import('../files/FilesScreen'));
const MatchesScreen = lazy(() => import('../matches/MatchesScreen'));
const JobsScreen = lazy(() => import('../matches/JobsScreen'));
const ResumesScreen = lazy(() => import('../resumes/ResumesScreen'));
const AccountScreen = lazy(() => import('../account/AccountScreen'));

function gated(Screen: ComponentType): ReactNode {
  return (
    <RequireSession>
      <Suspense fallback={<p role="status">Loading…</p>}>
        <Screen />
      </Suspense>
    </RequireSession>
  );
}

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <WelcomeScreen /> },
      { path: '/login', element: <AuthScreen mode="login" /> },
      { path: '/register', element: <AuthScreen mode="register" /> },
      { path: '/forgot-password', element: <ForgotPasswordScreen /> },
      { path: '/reset-password', element: <ResetPasswordScreen /> },
      { path: '/verify-email', element: <TokenLinkScreen kind="verify" /> },
      { path: '/confirm-email', element: <TokenLinkScreen kind="change" /> },
      { path: '/workbook', element: gated(WorkbookScreen) },
      { path: '/workbook/runs/:id', element: gated(PastRunScreen) },
      { path: '/chat', element: gated(ChatScreen) },
      { path: '/files', element: gated(FilesScreen) },
      { path: '/matches', element: gated(MatchesScreen) },
      { path: '/jobs', element: gated(JobsScreen) },
      { path: '/resumes', element: gated(ResumesScreen) },
      { path: '/account', element: gated(AccountScreen) },
      { path: '*', element: <NotFoundScreen /> },
    ],
  },
]);
