import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Grid, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
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
  // A phone (most secretaries open a WeCom/DingTalk link there): the header keeps only what fits in 375 px, and
  // below lg the side menu is a drawer over the page, opened from the header's menu button.
  const screens = Grid.useBreakpoint();
  const wide = screens.md ?? true;
  const desk = screens.lg ?? true;
  const [menuOpen, setMenuOpen] = useState(false);
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
  const selected = pages
    .filter((p) => p.menu && (location.pathname === p.path || location.pathname.startsWith(`${p.path}/`)))
    .map((p) => p.path);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={208}
        collapsedWidth={0}
        collapsed={!desk && !menuOpen}
        trigger={null}
        style={desk ? undefined : { position: 'fixed', insetBlock: 0, insetInlineStart: 0, zIndex: 1001 }}
        aria-label={t('app.title')}
      >
        <div style={{ color: '#fff', padding: '16px 20px', fontWeight: 600, fontSize: 15, lineHeight: 1.4 }}>
          {t('app.title')}
          <div style={{ color: 'rgba(255,255,255,0.65)', fontWeight: 400, fontSize: 12 }}>{t('app.subtitle')}</div>
        </div>
        <nav>
          <Menu
            theme="dark"
            mode="inline"
            items={items}
            selectedKeys={selected}
            onClick={({ key }) => {
              setMenuOpen(false);
              void navigate(key);
            }}
          />
        </nav>
      </Layout.Sider>
      {!desk && menuOpen && (
        <div
          aria-hidden
          onClick={() => setMenuOpen(false)}
          style={{ position: 'fixed', inset: 0, zIndex: 1000, background: 'rgba(0, 0, 0, 0.45)' }}
        />
      )}
      <Layout>
        <Layout.Header
          style={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
            paddingInline: wide ? undefined : 12,
          }}
        >
          {desk ? (
            <span />
          ) : (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t('nav.menu')}
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen((o) => !o)}
              style={{ minWidth: 44, minHeight: 44 }}
            />
          )}
          <Space size={wide ? 16 : 8}>
            {pages
              .filter((p) => p.headerExtra && mayOpen(p, user.roles))
              .map((p) => {
                const Extra = p.headerExtra!;
                return <Extra key={p.path} />;
              })}
            <LanguageSwitch />
            <Space size={6}>
              <UserOutlined aria-hidden />
              <Typography.Text
                data-testid="current-user"
                style={
                  wide
                    ? undefined
                    : {
                        display: 'inline-block',
                        maxWidth: 64,
                        overflow: 'hidden',
                        textOverflow: 'ellipsis',
                        whiteSpace: 'nowrap',
                        verticalAlign: 'middle',
                      }
                }
              >
                {user.displayName}
              </Typography.Text>
              {wide &&
                user.roles.map((r) => (
                  <Tag key={r} color="blue" style={{ marginInlineEnd: 0 }}>
                    {t(`role.${r}`)}
                  </Tag>
                ))}
            </Space>
            <Button
              icon={<LogoutOutlined />}
              aria-label={t('nav.signOut')}
              loading={signOut.isPending}
              onClick={() => signOut.mutate(undefined, { onSettled: () => void navigate('/sign-in') })}
            >
              {wide ? t('nav.signOut') : null}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: wide ? 16 : 12, minWidth: 0 }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
