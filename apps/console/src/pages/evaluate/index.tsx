import { lazy } from 'react';
import type { PageDefinition } from '../../app/page';

/** The anonymous evaluation a one-time link opens: PUBLIC_BASE_URL/evaluate#t=<token> (no sign-in). */
export const page: PageDefinition = {
  path: '/evaluate',
  component: lazy(() => import('./EvaluatePage')),
  public: true,
  messages: {
    zh: {
      'evaluate.title': '测评',
      'evaluate.anonymous': '本测评为匿名测评：答卷不记录您的身份，每个链接只能作答一次。',
      'evaluate.intro': '请根据实际情况作答，截止时间 {at}。',
      'evaluate.scaleHint': '{min} 为最低，{max} 为最高',
      'evaluate.required': '请回答此题',
      'evaluate.submit': '提交答卷',
      'evaluate.thanks': '提交成功，感谢您的参与！',
      'evaluate.thanksHint': '您的答卷已匿名记录。此链接已失效。',
      'evaluate.used': '此链接已经使用过',
      'evaluate.usedHint': '每个测评链接只能作答一次。如您尚未作答，请联系发放链接的单位。',
      'evaluate.closed': '测评已结束',
      'evaluate.closedAt': '本次测评已于 {at} 结束。',
      'evaluate.notOpen': '测评尚未开始',
      'evaluate.opensAt': '本次测评将于 {at} 开始，请届时再打开此链接。',
      'evaluate.invalid': '链接无效',
      'evaluate.invalidHint': '请检查链接是否完整，或联系发放链接的单位。',
    },
    en: {
      'evaluate.title': 'Evaluation',
      'evaluate.anonymous':
        'This evaluation is anonymous: your answers are not linked to you, and each link answers once.',
      'evaluate.intro': 'Please answer as things are. Open until {at}.',
      'evaluate.scaleHint': '{min} lowest, {max} highest',
      'evaluate.required': 'Please answer this question',
      'evaluate.submit': 'Send my answers',
      'evaluate.thanks': 'Thank you for taking part!',
      'evaluate.thanksHint': 'Your answers were recorded anonymously. This link no longer works.',
      'evaluate.used': 'This link has been used',
      'evaluate.usedHint': 'Each link answers once. If you have not answered, ask whoever sent you the link.',
      'evaluate.closed': 'The evaluation is closed',
      'evaluate.closedAt': 'It closed at {at}.',
      'evaluate.notOpen': 'The evaluation has not started',
      'evaluate.opensAt': 'It opens at {at}; please open this link then.',
      'evaluate.invalid': 'This link is not valid',
      'evaluate.invalidHint': 'Check that the link is complete, or ask whoever sent it.',
    },
  },
};
