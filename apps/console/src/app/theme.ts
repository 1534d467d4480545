import type { ThemeConfig } from 'antd';

/** Calm and dense, like Ant Design Pro's admin screens: one blue, small radii, compact tables. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5bd8',
    // The derived hover/active blues are lighter: a hovered or focused default button's text fell below 4.5:1.
    colorPrimaryHover: '#164aae',
    colorPrimaryActive: '#103a8a',
    borderRadius: 4,
    fontSize: 14,
    // antd's default greys (45 % black) fail WCAG AA contrast (axe's color-contrast); 65 % passes on white and grey.
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)', // a Select's placeholder is text on the page (axe checks it)
    colorLink: '#1d5bd8', // the default (colorInfo #1677ff) is below 4.5:1 on white
    colorLinkHover: '#164aae',
    colorError: '#cf1322', // the default #ff4d4f on white is below 4.5:1 (danger buttons, error texts)
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Segoe UI', Roboto, sans-serif",
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#001529', headerHeight: 56, headerPadding: '0 16px' },
    Table: { cellPaddingBlock: 8, cellPaddingInline: 12 },
  },
};
