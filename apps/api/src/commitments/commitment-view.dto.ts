import { ApiProperty } from '@nestjs/swagger';
import { ASSESSMENTS } from './commitment.dto';

/** OpenAPI shapes of the responses (the service returns plain objects of these shapes). */
export class GoalViewDto {
  @ApiProperty() id: string;
  @ApiProperty() ordinal: number;
  @ApiProperty() title: string;
  @ApiProperty() measure: string;
  @ApiProperty({ example: '2027-06-30' }) targetDate: string;
}

export class GoalAssessmentViewDto {
  @ApiProperty() goalId: string;
  @ApiProperty() ordinal: number;
  @ApiProperty({ enum: ASSESSMENTS }) assessment: string;
  @ApiProperty() comment: string;
}

export class LeaderReviewViewDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '2027-H1' }) period: string;
  @ApiProperty() reviewer: string;
  @ApiProperty({ example: '2027-07-05' }) reviewedOn: string;
  @ApiProperty() strengths: string;
  @ApiProperty() shortcomings: string;
  @ApiProperty() direction: string;
  @ApiProperty() recordedBy: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ type: [GoalAssessmentViewDto] }) goals: GoalAssessmentViewDto[];
}

export class FulfilmentGoalDto {
  @ApiProperty() goalId: string;
  @ApiProperty() ordinal: number;
  @ApiProperty() title: string;
  @ApiProperty() targetDate: string;
  @ApiProperty({ enum: [...ASSESSMENTS, 'not_reviewed'], description: 'The latest review’s assessment' })
  latest: string;
  @ApiProperty({ description: '[{ period, assessment }] oldest first' }) history: object[];
  @ApiProperty({ description: 'Target date before the latest review and not fulfilled' })
  pastTargetUnfulfilled: boolean;
}

export class FulfilmentDto {
  @ApiProperty({ nullable: true, type: String }) latestPeriod: string | null;
  @ApiProperty() reviewCount: number;
  @ApiProperty({ description: '{ fulfilled, partly, notYet, notReviewed }' }) counts: object;
  @ApiProperty({ description: 'Fulfilled goals / all goals (two decimals)', example: 0.67 }) fulfilledShare: number;
  @ApiProperty({ type: [FulfilmentGoalDto] }) goals: FulfilmentGoalDto[];
  @ApiProperty({
    example: 'As of the 2027-H2 review (2028-01-08, 张书记): 2 of 3 goals fulfilled, 1 partly, 0 not yet',
  })
  en: string;
  @ApiProperty() zh: string;
}

export class CommitmentViewDto {
  @ApiProperty() id: string;
  @ApiProperty() cycleId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty() title: string;
  @ApiProperty() content: string;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: [GoalViewDto] }) goals: GoalViewDto[];
  @ApiProperty({ type: [LeaderReviewViewDto] }) reviews: LeaderReviewViewDto[];
  @ApiProperty({ type: FulfilmentDto, description: '践诺: how far the commitment is kept, per the leader reviews' })
  fulfilment: FulfilmentDto;
}
