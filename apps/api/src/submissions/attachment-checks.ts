import type { FieldProblem } from '../../../../libs/domain/src';

/** Leading bytes each binary type must start with: the declared Content-Type alone is the client's word. */
const MAGIC: Record<string, Buffer[]> = {
  'application/pdf': [Buffer.from('%PDF-')],
  'image/png': [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  'image/jpeg': [Buffer.from([0xff, 0xd8, 0xff])],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': [Buffer.from('PK\x03\x04', 'latin1')],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': [Buffer.from('PK\x03\x04', 'latin1')],
  'application/zip': [Buffer.from('PK\x03\x04', 'latin1')],
};
const TEXT_TYPES = new Set(['text/plain', 'text/markdown', 'text/csv']);

/** Problems with an uploaded file's type and content (size is enforced by the multipart parser's limit). */
export function attachmentProblems(
  file: { mimetype: string; buffer: Buffer; size: number },
  allowed: string[],
): FieldProblem[] {
  const type = file.mimetype.split(';')[0].trim().toLowerCase();
  if (!allowed.includes(type))
    return [{ field: 'file', problem: `type ${type} is not accepted (accepted: ${allowed.join(', ')})` }];
  if (file.size === 0) return [{ field: 'file', problem: 'is empty' }];
  const magic = MAGIC[type];
  if (magic && !magic.some((m) => file.buffer.subarray(0, m.length).equals(m)))
    return [{ field: 'file', problem: `content is not ${type}` }];
  if (TEXT_TYPES.has(type) && (file.buffer.includes(0) || !isUtf8(file.buffer)))
    return [{ field: 'file', problem: `content is not ${type} (UTF-8 text)` }];
  return [];
}

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Multer decodes multipart file names as latin1; browsers send UTF-8 (e.g. 调研报告.pdf). */
export const utf8FileName = (name: string) => {
  const decoded = Buffer.from(name, 'latin1').toString('utf8');
  return (decoded.includes('\uFFFD') ? name : decoded).replace(/[/\\\0]/g, '_').slice(0, 255) || 'file';
};
