import type { ThemeConfig } from 'antd';

/** Calm and dense, like Ant Design Pro's admin screens: one blue, small radii, compact tables. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5bd8',
    borderRadius: 4,
    fontSize: 14,
    fontFamily: "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Segoe UI', Roboto, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#001529', headerHeight: 56, headerPadding: '0 16px' },
    Table: { cellPaddingBlock: 8, cellPaddingInline: 12 },
  },
};
