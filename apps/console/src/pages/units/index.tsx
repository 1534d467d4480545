import { ApartmentOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';

export const page: PageDefinition = {
  path: '/units',
  component: lazy(() => import('./UnitsPage')),
  menu: { labelKey: 'units.menu', icon: <ApartmentOutlined />, order: 40, group: 'office' },
  roles: ['office_admin', 'office_reviewer', 'auditor'],
  messages: {
    zh: {
      'units.menu': '组织单位',
      'units.title': '组织单位',
      'units.import.title': '导入单位',
      'units.import.hint': '支持 Excel（.xlsx）、CSV 和 JSON。全部检查通过才会写入；有任何一行出错，则一行都不导入。',
      'units.import.drop': '点击或拖入文件',
      'units.import.template': '下载 Excel 模板',
      'units.import.done': '导入完成：新建 {created} 个，更新 {updated} 个',
      'units.import.failed': '文件有 {n} 处问题，未导入任何单位',
      'units.import.tooBig': '文件超过 20 MB',
      'units.import.badType': '只支持 .xlsx、.csv 或 .json 文件',
      'units.problem.row': '行',
      'units.problem.column': '列',
      'units.problem.problem': '问题',
      'units.detail.title': '单位信息',
      'units.detail.pick': '在左侧选择一个单位查看详情',
    },
    en: {
      'units.menu': 'Units',
      'units.title': 'Units',
      'units.import.title': 'Import units',
      'units.import.hint':
        'Excel (.xlsx), CSV or JSON. Written only when every row is valid: one bad row and nothing is imported.',
      'units.import.drop': 'Click or drop a file',
      'units.import.template': 'Download the Excel template',
      'units.import.done': 'Imported: {created} created, {updated} updated',
      'units.import.failed': 'The file has {n} problem(s); nothing was imported',
      'units.import.tooBig': 'The file is larger than 20 MB',
      'units.import.badType': 'Only .xlsx, .csv or .json files',
      'units.problem.row': 'Row',
      'units.problem.column': 'Column',
      'units.problem.problem': 'Problem',
      'units.detail.title': 'Unit',
      'units.detail.pick': 'Choose a unit on the left to see it',
    },
  },
};
