import { join } from 'node:path';
import {
  findRepoRoot,
  renderNotice,
  templatesDir,
  type NoticeTemplateContext,
} from '../../../libs/notifications/src/templates';
import { repoRoot } from '../../support/paths';

const ctx: NoticeTemplateContext = {
  campaignName: '学习实践活动',
  stageTitle: '学习调研',
  stepTitle: '开展学习调研',
  unitName: '第一中学党支部',
  unitCode: 'xh-s01',
  recipientName: '李明',
  audience: 'unit',
  dueLocal: '2009年4月30日 17:00',
  timeZone: 'Asia/Shanghai',
  daysLeft: 7,
  daysOverdue: 3,
  missing: ['学习交流记录', '调研报告'],
  link: 'https://campaigns.example.cn/units/xh-s01?cycle=c1&step=study-research',
  rung: 0,
};

describe('notice templates (Handlebars files)', () => {
  it('are found from the TS sources and from compiled code under dist/', () => {
    expect(findRepoRoot(join(repoRoot, 'libs', 'notifications', 'src'))).toBe(repoRoot);
    expect(findRepoRoot(join(repoRoot, 'dist', 'libs', 'notifications', 'src'))).toBe(repoRoot);
    expect(templatesDir()).toBe(join(repoRoot, 'libs', 'notifications', 'templates'));
  });

  it('renders a zh-CN reminder: campaign, stage, step, local due date, what is missing, link', () => {
    const { subject, body } = renderNotice('reminder', 'zh-CN', ctx);
    expect(subject).toBe('【提醒】学习实践活动：第一中学党支部「开展学习调研」将于2009年4月30日 17:00截止');
    expect(body).toBe(
      [
        '李明，您好：',
        '',
        '学习实践活动 · 学习调研 · 开展学习调研',
        '截止时间：2009年4月30日 17:00（Asia/Shanghai），距截止还有 7 天。',
        '',
        '尚需提交的材料：',
        '- 学习交流记录',
        '- 调研报告',
        '',
        '请登录查看并提交：https://campaigns.example.cn/units/xh-s01?cycle=c1&step=study-research',
        '',
      ].join('\n'),
    );
  });

  it('renders an English due notice, and omits the missing list when nothing is missing', () => {
    const { subject, body } = renderNotice('due', 'en', { ...ctx, recipientName: 'Anna Smith', missing: [] });
    expect(subject).toBe('[Due] 学习实践活动: "开展学习调研" of 第一中学党支部 was due 2009年4月30日 17:00');
    expect(body).toContain('Dear Anna Smith,');
    expect(body).toContain('the deadline has passed.');
    expect(body).not.toContain('Still missing');
  });

  it('words escalations by audience: parent (督办) and office (通报)', () => {
    const parent = renderNotice('escalation', 'zh-CN', { ...ctx, audience: 'parent', recipientName: '赵书记' });
    expect(parent.subject).toBe('【督办】学习实践活动：第一中学党支部「开展学习调研」逾期3天');
    expect(parent.body).toContain('您所领导的第一中学党支部（xh-s01）的「开展学习调研」已逾期 3 天，请督促落实。');
    const office = renderNotice('escalation', 'en', { ...ctx, audience: 'office' });
    expect(office.subject).toBe('[Bulletin] 学习实践活动: "开展学习调研" of 第一中学党支部 is 3 day(s) overdue');
    expect(office.body).toContain('has been put on the bulletin list');
  });

  it('does not HTML-escape text (messages are plain text / markdown)', () => {
    const { subject } = renderNotice('reminder', 'en', { ...ctx, stepTitle: 'Plan & items <draft>' });
    expect(subject).toContain('"Plan & items <draft>"');
  });
});
