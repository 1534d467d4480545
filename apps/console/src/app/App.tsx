import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, useEffect, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { onSessionExpired } from '../api/client';
import { SESSION_KEY, useSession } from '../auth/session';
import { I18nProvider, useI18n } from '../i18n/I18nProvider';
import { dayjs } from '../shared/time';
import { AppLayout } from './AppLayout';
import { homePath, mayOpen, pageMessages, pages } from './pages';
import { theme } from './theme';

export const SIGN_IN_PATH = '/sign-in';

function createQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache(),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (n, error) => n < 2 && !(error as { status?: number }).status,
      },
      mutations: { retry: false },
    },
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  // A 401 from any request: the session is gone — forget the account, which sends the router to sign-in.
  useEffect(() => onSessionExpired(() => queryClient.setQueryData(SESSION_KEY, null)), [queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider extra={pageMessages}>
        <LocalisedShell />
      </I18nProvider>
    </QueryClientProvider>
  );
}

function LocalisedShell() {
  const { lang } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={theme} componentSize="middle">
      <AntApp>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <Spin aria-label={t('common.loading')} />
    </div>
  );
}

function Home({ roles }: { roles: Parameters<typeof homePath>[0] }) {
  const { t } = useI18n();
  const home = homePath(roles);
  return home ? (
    <Navigate to={home} replace />
  ) : (
    <Result status="info" title={t('app.title')} subTitle={t('common.noPages')} />
  );
}

function AppRoutes() {
  const session = useSession();
  const location = useLocation();
  const { t } = useI18n();
  if (session.isPending) return <Loading />;
  const user = session.data ?? null;
  const signedIn = (element: React.ReactNode) =>
    user ? (
      element
    ) : (
      <Navigate to={`${SIGN_IN_PATH}?next=${encodeURIComponent(location.pathname + location.search)}`} replace />
    );
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        {pages
          .filter((p) => p.public)
          .map((p) => (
            <Route key={p.path} path={p.path} element={<p.component />} />
          ))}
        <Route element={signedIn(<AppLayout />)}>
          <Route index element={user ? <Home roles={user.roles} /> : null} />
          {pages
            .filter((p) => !p.public)
            .map((p) => (
              <Route
                key={p.path}
                path={p.path}
                element={
                  user && mayOpen(p, user.roles) ? (
                    <p.component />
                  ) : (
                    <Result status="403" title="403" subTitle={t('error.forbidden')} />
                  )
                }
              />
            ))}
          <Route path="*" element={<Result status="404" title="404" subTitle={t('common.notFound')} />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
