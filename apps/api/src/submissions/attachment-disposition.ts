import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/**
 * Types a browser may render in the reviewer's page. Never SVG or HTML: those can carry script, and an inline
 * response is same-origin with the console (the session cookie would be in reach).
 */
export const INLINE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export class AttachmentDownloadQuery {
  @ApiPropertyOptional({
    enum: ['attachment', 'inline'],
    default: 'attachment',
    description: 'inline: PDFs and images are shown in the page (preview); other types still download',
  })
  @IsOptional()
  @IsIn(['attachment', 'inline'], { message: 'must be attachment or inline' })
  disposition?: 'attachment' | 'inline';
}

/** RFC 6266 with the UTF-8 file name (Chinese names survive). */
export function contentDisposition(
  meta: { mimeType: string; fileName: string },
  wanted: 'attachment' | 'inline' = 'attachment',
): string {
  const type = wanted === 'inline' && INLINE_TYPES.has(meta.mimeType) ? 'inline' : 'attachment';
  return `${type}; filename*=UTF-8''${encodeURIComponent(meta.fileName)}`;
}
