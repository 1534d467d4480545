import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, Radio, Result, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { components } from '../../api/schema';
import { useI18n } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import { formatDateTime } from '../../shared/time';

type Question = components['schemas']['QuestionDto'];

/**
 * The token travels in the fragment (`/evaluate#t=…`): browsers never send a fragment to a server, so the one-time
 * token stays out of access logs and Referer headers; the page posts it in a request body.
 */
function tokenFromLocation(): string {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return hash.get('t') ?? new URLSearchParams(window.location.search).get('t') ?? '';
}

/** What a one-time evaluation link opens, on a phone first: the questions, no sign-in, one answer per token. */
export default function EvaluatePage() {
  const { t } = useI18n();
  const [token] = useState(tokenFromLocation);
  const form = useQuery({
    queryKey: ['evaluation-form', token],
    queryFn: () => unwrap(api.POST('/api/evaluations/form', { body: { token } })),
    enabled: token.length >= 10,
    retry: false,
  });
  const [answersForm] = Form.useForm<Record<string, unknown>>();
  const respond = useMutation({
    mutationFn: (answers: Record<string, unknown>) =>
      unwrap(api.POST('/api/evaluations/responses', { body: { token, answers } })),
  });

  const invalid = token.length < 10 || (form.error instanceof ApiError && form.error.status === 401);
  const usedNow = respond.error instanceof ApiError && respond.error.status === 409;
  let content;
  if (invalid) content = <Result status="warning" title={t('evaluate.invalid')} subTitle={t('evaluate.invalidHint')} />;
  else if (form.error) content = <ErrorAlert error={form.error} />;
  else if (!form.data) content = <Spin aria-label={t('common.loading')} style={{ display: 'block', padding: 48 }} />;
  else if (respond.isSuccess)
    content = <Result status="success" title={t('evaluate.thanks')} subTitle={t('evaluate.thanksHint')} />;
  else if (form.data.state === 'used' || usedNow)
    content = <Result status="info" title={t('evaluate.used')} subTitle={t('evaluate.usedHint')} />;
  else if (form.data.state === 'closed')
    content = (
      <Result
        status="info"
        title={t('evaluate.closed')}
        subTitle={t('evaluate.closedAt', { at: formatDateTime(form.data.closesAt) })}
      />
    );
  else if (form.data.state === 'not_open')
    content = (
      <Result
        status="info"
        title={t('evaluate.notOpen')}
        subTitle={t('evaluate.opensAt', { at: formatDateTime(form.data.opensAt) })}
      />
    );
  else
    content = (
      <Form
        form={answersForm}
        layout="vertical"
        requiredMark
        onFinish={(values) =>
          respond.mutate(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')))
        }
      >
        <Typography.Paragraph type="secondary">
          {t('evaluate.intro', { at: formatDateTime(form.data.closesAt) })}
        </Typography.Paragraph>
        {form.data.questions.map((q, i) => (
          <QuestionItem key={q.key} question={q} no={i + 1} />
        ))}
        <ErrorAlert error={respond.error} style={{ marginBottom: 16 }} />
        <Button type="primary" htmlType="submit" size="large" block loading={respond.isPending}>
          {t('evaluate.submit')}
        </Button>
      </Form>
    );

  return (
    <main style={{ minHeight: '100vh', background: '#f0f2f5', padding: '16px 12px' }}>
      <div style={{ maxWidth: 560, margin: '0 auto' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
          <Typography.Text type="secondary">{t('app.title')}</Typography.Text>
          <LanguageSwitch />
        </Space>
        <Card>
          <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>
            {form.data?.title ?? t('evaluate.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t('evaluate.anonymous')}
          </Typography.Paragraph>
          {content}
        </Card>
      </div>
    </main>
  );
}

function QuestionItem({ question: q, no }: { question: Question; no: number }) {
  const { t } = useI18n();
  const label = `${no}. ${q.text}`;
  const rules = q.required === false ? [] : [{ required: true, message: t('evaluate.required') }];
  if (q.type === 'scale') {
    const min = q.min ?? 1;
    const max = q.max ?? 5;
    return (
      <Form.Item name={q.key} label={label} rules={rules} extra={t('evaluate.scaleHint', { min, max })}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          size="large"
          style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
        >
          {Array.from({ length: max - min + 1 }, (_, i) => min + i).map((v) => (
            <Radio.Button key={v} value={v} style={{ minWidth: 48, textAlign: 'center', borderRadius: 6 }}>
              {v}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
    );
  }
  if (q.type === 'choice') {
    return (
      <Form.Item name={q.key} label={label} rules={rules}>
        <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
          {(q.options ?? []).map((o) => (
            <Radio key={o.value} value={o.value} style={{ minHeight: 44, alignItems: 'center' }}>
              {o.label}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
    );
  }
  return (
    <Form.Item name={q.key} label={label} rules={rules}>
      <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
    </Form.Item>
  );
}
