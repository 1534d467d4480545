import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useSession, useSignOut } from '../auth/session';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { mayOpen, pages } from './pages';

const MENU_GROUPS = ['office', 'admin', 'unit'] as const;

/** The frame of every signed-in page: side menu (by role), header with account, role, language and sign-out. */
export function AppLayout() {
  const { t } = useI18n();
  const user = useSession().data;
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  const roles = user?.roles;

  const items = useMemo(() => {
    const visible = pages.filter((p) => p.menu && !p.public && mayOpen(p, roles ?? []));
    const item = (p: (typeof visible)[number]) => ({ key: p.path, icon: p.menu!.icon, label: t(p.menu!.labelKey) });
    const ungrouped = visible.filter((p) => !p.menu!.group).map(item);
    const grouped = MENU_GROUPS.map((g) => ({ g, children: visible.filter((p) => p.menu!.group === g).map(item) }))
      .filter((x) => x.children.length > 0)
      .map(({ g, children }) => ({ type: 'group' as const, key: `group-${g}`, label: t(`menu.group.${g}`), children }));
    return [...ungrouped, ...grouped];
  }, [roles, t]);

  if (!user) return null; // signed out this instant: the router is about to show the sign-in page
  const selected = pages.filter((p) => p.menu && (location.pathname === p.path || location.pathname.startsWith(`${p.path}/`))).map((p) => p.path);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} breakpoint="lg" collapsedWidth={0} aria-label={t('app.title')}>
        <div style={{ color: '#fff', padding: '16px 20px', fontWeight: 600, fontSize: 15, lineHeight: 1.4 }}>
          {t('app.title')}
          <div style={{ color: 'rgba(255,255,255,0.65)', fontWeight: 400, fontSize: 12 }}>{t('app.subtitle')}</div>
        </div>
        <nav>
          <Menu theme="dark" mode="inline" items={items} selectedKeys={selected} onClick={({ key }) => navigate(key)} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', borderBottom: '1px solid #f0f0f0' }}>
          <Space size={16}>
            <LanguageSwitch />
            <Space size={6}>
              <UserOutlined aria-hidden />
              <Typography.Text data-testid="current-user">{user.displayName}</Typography.Text>
              {user.roles.map((r) => (
                <Tag key={r} color="blue" style={{ marginInlineEnd: 0 }}>
                  {t(`role.${r}`)}
                </Tag>
              ))}
            </Space>
            <Button icon={<LogoutOutlined />} loading={signOut.isPending} onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in') })}>
              {t('nav.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
