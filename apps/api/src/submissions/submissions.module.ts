import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { join, resolve } from 'node:path';
import type { Env } from '../../../../libs/config/src';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { AttachmentsService } from './attachments.service';
import { FILE_STORAGE, LocalDiskFileStorage } from './file-storage';
import { StepContextService } from './step-context';
import { StepContextRepository } from './step-context.repository';
import { ReviewQueueRepository } from './review-queue.repository';
import { ReviewQueueService } from './review-queue.service';
import { SubmissionReportsRepository } from './submission-reports.repository';
import { SubmissionReportsService } from './submission-reports.service';
import { SubmissionReviewService } from './submission-review.service';
import { SubmissionsController } from './submissions.controller';
import { SubmissionsService } from './submissions.service';
import { SubmissionReconciler } from './submission-reconciler';
import { SubmissionReconcilerRepository } from './submission-reconciler.repository';
import { SubmissionRepository } from './submission.repository';

/** Attachments are held in memory while checked and hashed, so ATTACHMENT_MAX_BYTES also bounds memory per upload. */
@Module({
  imports: [
    IdempotencyModule,
    MulterModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        // no storage/dest: multer keeps the file in memory (file.buffer)
        limits: { fileSize: config.get('ATTACHMENT_MAX_BYTES', { infer: true }), files: 1, fields: 10 },
      }),
    }),
  ],
  controllers: [SubmissionsController],
  providers: [
    SubmissionsService,
    SubmissionReviewService,
    SubmissionReportsService,
    SubmissionReportsRepository,
    ReviewQueueService,
    ReviewQueueRepository,
    AttachmentsService,
    StepContextService,
    StepContextRepository,
    SubmissionRepository,
    SubmissionReconciler,
    SubmissionReconcilerRepository,
    {
      provide: FILE_STORAGE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        new LocalDiskFileStorage(
          resolve(
            config.get('ATTACHMENT_DIR', { infer: true }) ?? join(process.env.DATA_DIR ?? '.data', 'attachments'),
          ),
        ),
    },
  ],
})
export class SubmissionsModule {}
