import { InboxOutlined } from '@ant-design/icons';
import { App, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/errors';
import { useT } from '../../i18n/I18nProvider';
import type { TaskDetail } from '../../portal/tasks';
import type { Attachment } from './draft-form';

/** Browsers leave the type empty for some files (Markdown); the api checks the declared type and the leading bytes. */
const TYPE_BY_EXTENSION: Record<string, string> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  txt: 'text/plain',
  csv: 'text/csv',
};
export const fileType = (file: { type: string; name: string }) =>
  file.type || TYPE_BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || 'application/octet-stream';
const megabytes = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

interface Props {
  value?: string[];
  onChange?: (ids: string[]) => void;
  deliverableKey: string;
  label: string;
  rules: TaskDetail['attachmentRules'];
  attachments: Attachment[];
  submissionId: string | null;
  /** The submission's id, creating the draft first when there is none yet. */
  ensureSubmission: () => Promise<string>;
  disabled?: boolean;
}

/**
 * Files for one deliverable by drag-and-drop or tap: size and type are checked before anything is sent, the upload
 * shows its progress, and a finished file joins the deliverable's attachmentIds (which autosaves the draft).
 */
export function AttachmentDragger({
  value = [],
  onChange,
  deliverableKey,
  label,
  rules,
  attachments,
  submissionId,
  ensureSubmission,
  disabled,
}: Props) {
  const t = useT();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState<UploadFile[]>([]);
  const [added, setAdded] = useState<Attachment[]>([]); // uploaded here, not yet in a re-read submission
  const byId = new Map([...attachments, ...added].map((a) => [a.id, a]));
  const done: UploadFile[] = value.map((id) => ({
    uid: id,
    name: byId.get(id)?.fileName ?? id,
    status: 'done',
    url: submissionId ? `/api/submissions/${submissionId}/attachments/${id}` : undefined,
    size: byId.get(id)?.sizeBytes,
  }));

  return (
    <Upload.Dragger
      multiple
      disabled={disabled}
      aria-label={label}
      accept={rules.mimeTypes.join(',')}
      fileList={[...done, ...uploading]}
      beforeUpload={(file) => {
        const type = fileType(file);
        if (!rules.mimeTypes.includes(type)) {
          message.error(t('task.upload.badType', { name: file.name }));
          return Upload.LIST_IGNORE;
        }
        if (file.size > rules.maxBytes) {
          message.error(t('task.upload.tooBig', { name: file.name, max: megabytes(rules.maxBytes) }));
          return Upload.LIST_IGNORE;
        }
        if (file.size === 0) {
          message.error(t('task.upload.empty', { name: file.name }));
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={async (options, { defaultRequest }) => {
        try {
          const id = await ensureSubmission();
          defaultRequest({
            ...options,
            action: `/api/submissions/${id}/attachments`,
            filename: 'file',
            data: { deliverableKey },
            withCredentials: true,
            headers: { 'X-Requested-With': 'campaigns-console', 'Idempotency-Key': crypto.randomUUID() },
          });
        } catch (error) {
          options.onError?.(error as Error);
        }
      }}
      onChange={({ file }) => {
        if (file.status === 'done') {
          const uploaded = file.response as Attachment;
          setUploading((list) => list.filter((f) => f.uid !== file.uid));
          setAdded((list) => [...list, uploaded]);
          onChange?.([...value, uploaded.id]);
          message.success(t('task.upload.done', { name: file.name }));
        } else if (file.status === 'error') {
          setUploading((list) => list.filter((f) => f.uid !== file.uid));
          const body = file.response as { message?: string } | undefined;
          message.error(
            t('task.upload.failed', {
              name: file.name,
              reason: body?.message ?? (file.error instanceof ApiError ? file.error.message : ''),
            }),
          );
        } else {
          setUploading((list) => [...list.filter((f) => f.uid !== file.uid), file]);
        }
      }}
      onRemove={(file) => {
        if (value.includes(file.uid)) onChange?.(value.filter((id) => id !== file.uid));
        return true;
      }}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined aria-hidden />
      </p>
      <p className="ant-upload-text">{t('task.upload.hint')}</p>
      <p className="ant-upload-hint">{t('task.upload.limits', { max: megabytes(rules.maxBytes) })}</p>
    </Upload.Dragger>
  );
}
