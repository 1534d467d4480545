import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';

export const page: PageDefinition = {
  path: '/sign-in',
  component: lazy(() => import('./SignInPage')),
  public: true,
  messages: {
    zh: {
      'signIn.title': '登录',
      'signIn.email': '电子邮箱',
      'signIn.password': '密码',
      'signIn.submit': '登录',
      'signIn.emailRequired': '请输入电子邮箱',
      'signIn.passwordRequired': '请输入密码',
      'signIn.hint': '使用办公室分配的账号登录。',
    },
    en: {
      'signIn.title': 'Sign in',
      'signIn.email': 'E-mail',
      'signIn.password': 'Password',
      'signIn.submit': 'Sign in',
      'signIn.emailRequired': 'Enter your e-mail',
      'signIn.passwordRequired': 'Enter your password',
      'signIn.hint': 'Use the account the office gave you.',
    },
  },
};
