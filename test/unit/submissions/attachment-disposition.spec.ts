import { contentDisposition } from '../../../apps/api/src/submissions/attachment-disposition';

describe('attachment Content-Disposition', () => {
  it('shows PDFs and raster images inline only when asked, with the UTF-8 file name', () => {
    expect(contentDisposition({ mimeType: 'application/pdf', fileName: '调研报告.pdf' }, 'inline')).toBe(
      "inline; filename*=UTF-8''%E8%B0%83%E7%A0%94%E6%8A%A5%E5%91%8A.pdf",
    );
    expect(contentDisposition({ mimeType: 'image/png', fileName: 'a b.png' }, 'inline')).toBe(
      "inline; filename*=UTF-8''a%20b.png",
    );
    expect(contentDisposition({ mimeType: 'application/pdf', fileName: 'x.pdf' })).toBe(
      "attachment; filename*=UTF-8''x.pdf",
    );
  });

  it('never inlines types that can carry script on the console’s origin, nor office documents', () => {
    for (const mimeType of [
      'image/svg+xml',
      'text/html',
      'text/plain',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ]) {
      expect(contentDisposition({ mimeType, fileName: 'f' }, 'inline')).toBe("attachment; filename*=UTF-8''f");
    }
  });
});
