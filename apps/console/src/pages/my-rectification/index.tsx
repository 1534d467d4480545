import { AuditOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';

export const page: PageDefinition = {
  path: '/my/rectification',
  component: lazy(() => import('./RectificationPage')),
  menu: { labelKey: 'rect.menu', icon: <AuditOutlined />, order: 120, group: 'unit' },
  roles: ['unit_secretary', 'unit_submitter'],
  messages: {
    zh: {
      'rect.menu': '整改项目',
      'rect.title': '整改项目',
      'rect.items': '本单位整改项目',
      'rect.itemTitle': '整改项目 {n}：{project}',
      'rect.count.total': '项目',
      'rect.count.open': '进行中',
      'rect.count.overdue': '已逾期',
      'rect.count.completed': '已完成',
      'rect.noItems': '整改方案审核通过后，这里列出各整改项目',
      'rect.noCycle': '本单位目前没有参加中的活动',
      'rect.uploadEvidence': '上传整改佐证',
      'rect.viewEvidence': '查看整改佐证',
      'rect.published': '其他单位公布的整改方案',
      'rect.noPublished': '暂无公布的整改方案',
      'rect.acceptedAt': '{at} 审核通过',
    },
    en: {
      'rect.menu': 'Rectification',
      'rect.title': 'Rectification items',
      'rect.items': 'Our rectification items',
      'rect.itemTitle': 'Item {n}: {project}',
      'rect.count.total': 'Items',
      'rect.count.open': 'Open',
      'rect.count.overdue': 'Overdue',
      'rect.count.completed': 'Completed',
      'rect.noItems': 'Once the rectification plan is accepted, its items are listed here',
      'rect.noCycle': 'The unit takes part in no running campaign',
      'rect.uploadEvidence': 'Upload evidence',
      'rect.viewEvidence': 'View evidence',
      'rect.published': 'Plans other units published',
      'rect.noPublished': 'No published plans yet',
      'rect.acceptedAt': 'accepted {at}',
    },
  },
};
