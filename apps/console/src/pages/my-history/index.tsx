import { HistoryOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';

export const page: PageDefinition = {
  path: '/my/history',
  component: lazy(() => import('./HistoryPage')),
  menu: { labelKey: 'history.menu', icon: <HistoryOutlined />, order: 130, group: 'unit' },
  roles: ['unit_secretary', 'unit_submitter'],
  messages: {
    zh: {
      'history.menu': '报送记录',
      'history.title': '报送记录',
      'history.submissions': '提交的材料',
      'history.notices': '收到的通知',
      'history.noSubmissions': '还没有提交过材料',
      'history.neverSubmitted': '仅有草稿，尚未提交',
      'history.versions': '共 {n} 版',
      'history.read': '已读',
      'history.readAt': '{at} 阅读',
    },
    en: {
      'history.menu': 'History',
      'history.title': 'History',
      'history.submissions': 'Material handed in',
      'history.notices': 'Notices received',
      'history.noSubmissions': 'Nothing handed in yet',
      'history.neverSubmitted': 'A draft only, never submitted',
      'history.versions': '{n} versions',
      'history.read': 'Read',
      'history.readAt': 'read {at}',
    },
  },
};
