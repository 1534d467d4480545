import { CheckSquareOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';
import { portalMessages } from '../../portal/messages';

export const page: PageDefinition = {
  path: '/my/tasks',
  component: lazy(() => import('./MyTasksPage')),
  menu: { labelKey: 'portal.menu.tasks', icon: <CheckSquareOutlined />, order: 100, group: 'unit' },
  roles: ['unit_secretary', 'unit_submitter'],
  homeFor: ['unit_secretary', 'unit_submitter'],
  messages: {
    zh: {
      ...portalMessages.zh,
      'myTasks.title': '我的待办',
      'myTasks.empty': '暂无待办事项',
      'myTasks.emptyBucket': '无',
      'myTasks.unitFilter': '查看单位',
      'myTasks.returnedBy': '{at} 退回',
    },
    en: {
      ...portalMessages.en,
      'myTasks.title': 'My tasks',
      'myTasks.empty': 'Nothing to do',
      'myTasks.emptyBucket': 'None',
      'myTasks.unitFilter': 'Unit',
      'myTasks.returnedBy': 'Returned {at}',
    },
  },
};
