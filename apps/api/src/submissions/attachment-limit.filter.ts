import { ArgumentsHost, Catch, ExceptionFilter, PayloadTooLargeException } from '@nestjs/common';
import type { Response } from 'express';

/** Multer's size limit surfaces as 413; clients get the same 400 with field details as for any other bad file. */
@Catch(PayloadTooLargeException)
export class AttachmentLimitFilter implements ExceptionFilter {
  catch(_: PayloadTooLargeException, host: ArgumentsHost) {
    const problem = 'is larger than the attachment size limit (ATTACHMENT_MAX_BYTES)';
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(400)
      .json({
        statusCode: 400,
        error: 'VALIDATION_FAILED',
        message: `file: ${problem}`,
        details: [{ field: 'file', problem }],
      });
  }
}
