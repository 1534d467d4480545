import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Steps,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, unwrap } from '../../api/client';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { PlanTimeline } from '../../shared/plan/PlanTimeline';
import { usePlanPreview } from '../../shared/plan/plan';
import { UNIT_KINDS, UnitTree } from '../../shared/units/UnitTree';
import { CYCLES_KEY } from '../campaigns/cycles';

interface PlanChoice {
  templateKey?: string;
  templateVersion?: number;
  name?: string;
  startsOn?: Dayjs;
  previewKind: string;
}

export default function StartCyclePage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [form] = Form.useForm<PlanChoice>();
  const choice = Form.useWatch([], form) as PlanChoice | undefined;
  const [codes, setCodes] = useState<string[]>([]);
  // One key for this wizard: a repeated click (or a retry after a network error) starts nothing twice.
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const templates = useQuery({ queryKey: ['templates'], queryFn: () => unwrap(api.GET('/api/templates')) });
  const versions = useQuery({
    queryKey: ['templates', choice?.templateKey, 'versions'],
    enabled: Boolean(choice?.templateKey),
    queryFn: () =>
      unwrap(api.GET('/api/templates/{key}/versions', { params: { path: { key: choice!.templateKey! } } })),
  });
  const startsOn = choice?.startsOn?.format('YYYY-MM-DD');
  const preview = usePlanPreview(choice?.templateKey, choice?.templateVersion, startsOn, choice?.previewKind);

  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/cycles', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            templateKey: choice!.templateKey!,
            templateVersion: choice!.templateVersion,
            name: choice!.name!.trim(),
            startsAt: startsOn!,
            units: { codes },
          },
        }),
      ),
    onSuccess: () => {
      message.success(t('startCycle.started', { name: choice!.name!, n: codes.length }));
      void queryClient.invalidateQueries({ queryKey: CYCLES_KEY });
      void navigate('/campaigns');
    },
  });

  const onTemplate = (key: string) => {
    const latest = templates.data?.find((x) => x.key === key);
    form.setFieldsValue({ templateVersion: latest?.version, name: form.getFieldValue('name') || latest?.name });
  };

  return (
    <Card
      size="small"
      title={
        <Typography.Title level={1} style={{ fontSize: 16, margin: 0 }}>
          {t('startCycle.title')}
        </Typography.Title>
      }
    >
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 16 }}
        items={[
          { title: t('startCycle.step.plan') },
          { title: t('startCycle.step.units') },
          { title: t('startCycle.step.review') },
        ]}
      />
      <div style={{ display: step === 0 ? 'block' : 'none' }}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ previewKind: 'school' }}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item
            name="templateKey"
            label={t('startCycle.template')}
            rules={[{ required: true, message: t('startCycle.required') }]}
          >
            <Select
              style={{ width: 260 }}
              loading={templates.isPending}
              onChange={onTemplate}
              options={(templates.data ?? []).map((x) => ({ value: x.key, label: `${x.name}（${x.key}）` }))}
            />
          </Form.Item>
          <Form.Item
            name="templateVersion"
            label={t('startCycle.version')}
            rules={[{ required: true, message: t('startCycle.required') }]}
          >
            <Select
              style={{ width: 100 }}
              options={(versions.data ?? []).map((v) => ({ value: v.version, label: `v${v.version}` }))}
            />
          </Form.Item>
          <Form.Item
            name="startsOn"
            label={t('startCycle.startsOn')}
            rules={[{ required: true, message: t('startCycle.required') }]}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('startCycle.name')}
            rules={[{ required: true, whitespace: true, message: t('startCycle.required') }]}
          >
            <Input style={{ width: 260 }} maxLength={200} />
          </Form.Item>
          <Form.Item name="previewKind" label={t('startCycle.previewKind')}>
            <Select style={{ width: 140 }} options={UNIT_KINDS.map((k) => ({ value: k, label: t(`unitKind.${k}`) }))} />
          </Form.Item>
        </Form>
        <Typography.Title level={2} style={{ fontSize: 15 }}>
          {t('startCycle.timeline')}
        </Typography.Title>
        <ErrorAlert error={preview.error} />
        {preview.data ? (
          <PlanTimeline plan={preview.data} />
        ) : (
          <Typography.Text type="secondary">{t('startCycle.pickPlan')}</Typography.Text>
        )}
      </div>
      {step === 1 && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text strong data-testid="selected-count">
            {t('startCycle.selected', { n: codes.length })}
          </Typography.Text>
          <UnitTree checkable checked={codes} onCheck={setCodes} height={480} />
        </Space>
      )}
      {step === 2 && choice && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={1}>
            <Descriptions.Item label={t('startCycle.name')}>{choice.name}</Descriptions.Item>
            <Descriptions.Item
              label={t('startCycle.template')}
            >{`${choice.templateKey} v${choice.templateVersion}`}</Descriptions.Item>
            <Descriptions.Item label={t('startCycle.startsOn')}>
              {choice.startsOn?.format('YYYY年M月D日')}
            </Descriptions.Item>
            <Descriptions.Item label={t('startCycle.review.units')}>
              {t('startCycle.selected', { n: codes.length })}
            </Descriptions.Item>
          </Descriptions>
          <Alert type="info" showIcon title={t('startCycle.confirm', { n: codes.length, name: choice.name ?? '' })} />
          <ErrorAlert error={start.error} />
        </Space>
      )}
      <Space style={{ marginTop: 16 }}>
        {step > 0 && <Button onClick={() => setStep(step - 1)}>{t('startCycle.back')}</Button>}
        {step === 0 && (
          <Button
            type="primary"
            onClick={() =>
              form.validateFields().then(
                () => setStep(1),
                () => undefined,
              )
            }
          >
            {t('startCycle.next')}
          </Button>
        )}
        {step === 1 && (
          <Button
            type="primary"
            disabled={codes.length === 0}
            title={codes.length === 0 ? t('startCycle.noUnits') : undefined}
            onClick={() => setStep(2)}
          >
            {t('startCycle.next')}
          </Button>
        )}
        {step === 2 && (
          <Button type="primary" loading={start.isPending} disabled={start.isSuccess} onClick={() => start.mutate()}>
            {t('startCycle.start')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
