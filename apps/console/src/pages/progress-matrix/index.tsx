import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';

/** The progress matrix of one cycle (reached from the Campaigns page; no menu entry of its own). */
export const page: PageDefinition = {
  path: '/cycles/:id/matrix',
  component: lazy(() => import('./ProgressMatrixPage')),
  roles: ['office_admin', 'office_reviewer', 'auditor'],
  messages: {
    zh: {
      'matrix.title': '进度矩阵',
      'matrix.heading': '进度矩阵 · {name}',
      'matrix.link': '进度矩阵',
      'matrix.asOf': '数据时间 {at}',
      'matrix.export': '导出 Excel',
      'matrix.unitColumn': '单位（{n}）',
      'matrix.notInPlan': '不在该单位计划内',
      'matrix.cellHint': '方向键、Page Up/Page Down、Home/End 在单元格间移动，回车打开该单位此项',
      'matrix.filter.stage': '阶段',
      'matrix.filter.status': '状态',
      'matrix.filter.kind': '单位类型',
      'matrix.filter.subtree': '所属上级单位',
      'matrix.filter.search': '按编码或名称搜索',
      'matrix.stat.units': '单位数',
      'matrix.byStage': '按阶段统计',
      'matrix.byKind': '按单位类型统计',
    },
    en: {
      'matrix.title': 'Progress matrix',
      'matrix.heading': 'Progress matrix · {name}',
      'matrix.link': 'Progress matrix',
      'matrix.asOf': 'As of {at}',
      'matrix.export': 'Export to Excel',
      'matrix.unitColumn': 'Units ({n})',
      'matrix.notInPlan': 'not in this unit’s plan',
      'matrix.cellHint': 'Arrow keys, Page Up/Down and Home/End move between cells; Enter opens the unit on that step',
      'matrix.filter.stage': 'Stage',
      'matrix.filter.status': 'Status',
      'matrix.filter.kind': 'Unit kind',
      'matrix.filter.subtree': 'Within unit',
      'matrix.filter.search': 'Search code or name',
      'matrix.stat.units': 'Units',
      'matrix.byStage': 'By stage',
      'matrix.byKind': 'By unit kind',
    },
  },
};
