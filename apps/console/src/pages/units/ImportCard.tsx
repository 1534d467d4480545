import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { useT } from '../../i18n/I18nProvider';
import { ErrorAlert } from '../../shared/ErrorAlert';
import { UNIT_TREE_KEY } from '../../shared/units/unit-tree';
import { problemRows } from './import-problems';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_BYTES = 20 * 1024 * 1024;
const TYPES: Record<string, string> = { xlsx: XLSX, csv: 'text/csv', json: 'application/json' };

/** Upload a unit file; the api checks every row first and reports them all, or imports all of them. */
export function ImportCard() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: async (file: File) => {
      const type = TYPES[file.name.split('.').pop()!.toLowerCase()];
      // The file goes as it is (the api parses Excel and CSV itself); JSON is sent as its text.
      const body = type === TYPES.json ? await file.text() : type === TYPES.csv ? await file.text() : file;
      return unwrap(
        api.POST('/api/units/import', {
          params: { header: { 'content-type': type } },
          body: body as unknown as string,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'Content-Type': type },
        }),
      );
    },
    // The result stays on the card (an Alert), not in a passing toast: the office reads it after a long import.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: UNIT_TREE_KEY }),
  });

  const problems = run.error instanceof ApiError && run.error.status === 400 ? problemRows(run.error.details) : [];
  return (
    <Card
      size="small"
      title={t('units.import.title')}
      extra={
        <Button icon={<DownloadOutlined />} href="/api/units/import/template" download="units-import-template.xlsx">
          {t('units.import.template')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('units.import.hint')}</Typography.Text>
        <Upload.Dragger
          accept=".xlsx,.csv,.json"
          multiple={false}
          showUploadList={false}
          disabled={run.isPending}
          beforeUpload={(file) => {
            const ext = file.name.split('.').pop()!.toLowerCase();
            if (!TYPES[ext]) message.error(t('units.import.badType'));
            else if (file.size > MAX_BYTES) message.error(t('units.import.tooBig'));
            else run.mutate(file);
            return false; // we send it ourselves, through the typed client
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined aria-hidden />
          </p>
          <p className="ant-upload-text">{t('units.import.drop')}</p>
        </Upload.Dragger>
        {run.isSuccess && (
          <Alert
            type="success"
            showIcon
            title={t('units.import.done', { created: run.data.created, updated: run.data.updated })}
          />
        )}
        {/* Imported, but to fix: e.g. a tree whose office notices would reach no one (no office unit, no office e-mails). */}
        {run.isSuccess && run.data.warnings.map((w) => <Alert key={w} type="warning" showIcon title={w} />)}
        {problems.length > 0 ? (
          <>
            <Alert type="error" showIcon role="alert" title={t('units.import.failed', { n: problems.length })} />
            <Table
              size="small"
              rowKey={(r) => `${r.row}-${r.column}-${r.problem}`}
              dataSource={problems}
              pagination={problems.length > 50 ? { pageSize: 50 } : false}
              aria-label={t('units.import.failed', { n: problems.length })}
              columns={[
                { title: t('units.problem.row'), dataIndex: 'row', width: 70 },
                { title: t('units.problem.column'), dataIndex: 'column', width: 130 },
                { title: t('units.problem.problem'), dataIndex: 'problem' },
              ]}
            />
          </>
        ) : (
          <ErrorAlert error={run.error} />
        )}
      </Space>
    </Card>
  );
}
