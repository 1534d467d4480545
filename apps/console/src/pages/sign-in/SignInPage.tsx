import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { homePath } from '../../app/pages';
import { useSession, useSignIn } from '../../auth/session';
import { useI18n } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { LanguageSwitch } from '../../shared/LanguageSwitch';

export default function SignInPage() {
  const { t } = useI18n();
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next');
  const target = (roles: Parameters<typeof homePath>[0]) =>
    next && next.startsWith('/') && !next.startsWith('//') ? next : (homePath(roles) ?? '/');

  if (session.data) return <Navigate to={target(session.data.roles)} replace />;

  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#f0f2f5',
        padding: 16,
      }}
    >
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
          <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
            {t('app.title')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('signIn.hint')}
        </Typography.Paragraph>
        <ErrorAlert error={signIn.error} style={{ marginBottom: 16 }} />
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(values: { email: string; password: string }) =>
            signIn.mutate(values, { onSuccess: (r) => void navigate(target(r.user.roles), { replace: true }) })
          }
        >
          <Form.Item
            name="email"
            label={t('signIn.email')}
            rules={[{ required: true, message: t('signIn.emailRequired') }]}
          >
            <Input prefix={<MailOutlined aria-hidden />} autoComplete="username" type="email" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('signIn.password')}
            rules={[{ required: true, message: t('signIn.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={signIn.isPending}>
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
