import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QuestionDto } from './evaluation.dto';

/** OpenAPI shapes of the evaluation responses. */
export class EvaluationViewDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() kind: string;
  @ApiProperty({ nullable: true, type: String }) cycleId: string | null;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The form: questions with defaults filled in',
  })
  form: unknown;
}

export class IssuedTokenDto {
  @ApiProperty({ description: 'Shown once; only its sha-256 is stored' }) token: string;
  @ApiProperty({ nullable: true, type: String }) recipient: string | null;
}

export class TokenBatchDto {
  @ApiProperty() batchId: string;
  @ApiProperty() evaluationId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() issued: number;
  @ApiProperty({ type: [IssuedTokenDto], nullable: true, description: 'null on an Idempotency-Key replay' }) tokens:
    IssuedTokenDto[] | null;
  @ApiPropertyOptional() note?: string;
}

export class RespondResultDto {
  @ApiProperty({ example: true }) accepted: boolean;
}

export class QuestionResultDto {
  @ApiProperty() key: string;
  @ApiProperty({ enum: ['scale', 'choice', 'text'] }) type: string;
  @ApiProperty() responses: number;
  @ApiProperty({ nullable: true, type: Number }) mean: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'answer value → count' })
  distribution: Record<string, number>;
  @ApiProperty({ nullable: true, type: Number, description: 'share of answers counting as satisfied (0–1)' })
  satisfactionRate: number | null;
  @ApiPropertyOptional({ type: [String] }) comments?: string[];
}

export class UnitResultDto {
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty() issued: number;
  @ApiProperty() responded: number;
  @ApiProperty() responseRate: number;
  @ApiProperty({ type: [QuestionResultDto], nullable: true }) questions: QuestionResultDto[] | null;
  @ApiPropertyOptional({ description: 'Why questions is null (too few responses to stay anonymous)' })
  withheld?: string;
}

export class FormOptionDto {
  @ApiProperty() value: string;
  @ApiProperty() label: string;
  @ApiPropertyOptional() satisfied?: boolean;
}

export class FormQuestionDto {
  @ApiProperty() key: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: ['scale', 'choice', 'text'] }) type: 'scale' | 'choice' | 'text';
  @ApiProperty() required: boolean;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional() satisfiedAtLeast?: number;
  @ApiPropertyOptional({ type: [FormOptionDto] }) options?: FormOptionDto[];
}

export class EvaluationResultsDto {
  @ApiProperty() evaluationId: string;
  @ApiProperty() title: string;
  @ApiProperty() kind: string;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({
    type: [FormQuestionDto],
    description: 'The form’s questions, in order (texts and option labels for the charts)',
  })
  questions: FormQuestionDto[];
  @ApiProperty({ type: [UnitResultDto] }) units: UnitResultDto[];
}

export class ReminderResultDto {
  @ApiProperty() evaluationId: string;
  @ApiProperty({ description: 'Named recipients of unused tokens reminded' }) reminded: number;
  @ApiProperty({
    description:
      'Units with unused tokens: one evaluation_reminder notice each (e-mail to the recipients, inbox to the unit)',
  })
  units: number;
  @ApiProperty({ description: 'Deliveries started (e-mails and inbox messages)' }) deliveries: number;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { unitId: { type: 'string' }, recipient: { type: 'string' } } },
  })
  recipients: { unitId: string; recipient: string }[];
}

export class EvaluationSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['mass_evaluation', 'three_evaluations', 'satisfaction', 'leadership_rating'] }) kind: string;
  @ApiProperty({ nullable: true, type: String }) cycleId: string | null;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ description: 'Tokens issued' }) issued: number;
  @ApiProperty({ description: 'Tokens used' }) responded: number;
  @ApiProperty({ description: 'Units with tokens' }) units: number;
}

export class PendingRecipientDto {
  @ApiProperty() recipient: string;
  @ApiProperty() reminders: number;
  @ApiProperty({ nullable: true, type: String }) lastRemindedAt: string | null;
}

export class UnitPendingDto {
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty() issued: number;
  @ApiProperty({ description: 'Tokens not used yet (anonymous ones included)' }) unused: number;
  @ApiProperty({ type: [PendingRecipientDto], description: 'Named recipients whose token is unused' })
  recipients: PendingRecipientDto[];
}

export class EvaluationPendingDto {
  @ApiProperty() evaluationId: string;
  @ApiProperty({ type: [UnitPendingDto] }) units: UnitPendingDto[];
}

/** What a one-time link opens: the form, or why it cannot be answered (used, closed, not open yet). */
export class TokenFormDto {
  @ApiProperty() title: string;
  @ApiProperty() kind: string;
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ enum: ['open', 'used', 'closed', 'not_open'], description: 'open: the token may answer now' }) state:
    'open' | 'used' | 'closed' | 'not_open';
  @ApiProperty({
    type: [QuestionDto],
    description: 'The questions with defaults filled in (empty unless state is open)',
  })
  questions: QuestionDto[];
}
