import { MailOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';
import { InboxBell } from './InboxBell';

export const page: PageDefinition = {
  path: '/my/inbox',
  component: lazy(() => import('./InboxPage')),
  menu: { labelKey: 'inbox.menu', icon: <MailOutlined />, order: 110, group: 'unit' },
  roles: ['unit_secretary', 'unit_submitter'],
  headerExtra: InboxBell,
  messages: {
    zh: {
      'inbox.menu': '通知',
      'inbox.title': '通知',
      'inbox.unreadOf': '未读 {n} 条 / 共 {total} 条',
      'inbox.unread': '未读',
      'inbox.empty': '暂无通知',
      'inbox.openTask': '前往办理',
      'inbox.kind.reminder': '提醒',
      'inbox.kind.due': '到期',
      'inbox.kind.escalation': '督办',
    },
    en: {
      'inbox.menu': 'Notices',
      'inbox.title': 'Notices',
      'inbox.unreadOf': '{n} unread of {total}',
      'inbox.unread': 'Unread',
      'inbox.empty': 'No notices',
      'inbox.openTask': 'Open the task',
      'inbox.kind.reminder': 'Reminder',
      'inbox.kind.due': 'Due',
      'inbox.kind.escalation': 'Escalation',
    },
  },
};
