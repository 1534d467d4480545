import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppConfigModule, structuredLogger } from '../../../libs/config/src';
import { PersistenceModule } from '../../../libs/persistence/src';
import { TemporalClientModule } from '../../../libs/temporal/src';
import { AuthModule } from './auth/auth.module';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { SubmissionsModule } from './submissions/submissions.module';
import { EvaluationsModule } from './evaluations/evaluations.module';
import { DomainErrorFilter } from './common/domain-error.filter';
import { CyclesModule } from './cycles/cycles.module';
import { DiagnosticsModule } from './diagnostics/diagnostics.module';
import { HealthModule } from './health/health.module';
import { BulletinModule } from './bulletins/bulletin.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { InboxModule } from './inbox/inbox.module';
import { UnitsModule } from './units/units.module';
import { TemplatesModule } from './templates/templates.module';
import { InspectionModule } from './inspection/inspection.module';
import { CommitmentsModule } from './commitments/commitments.module';
import { AttendanceModule } from './attendance/attendance.module';
import { RectificationModule } from './rectification/rectification.module';
import { CalendarModule } from './calendar/calendar.module';
import { WorkflowGatewayModule } from './workflow-gateway/workflow-gateway.module';
import { PortalModule } from './portal/portal.module';

@Module({
  imports: [
    AppConfigModule,
    structuredLogger('api'),
    PersistenceModule,
    TemporalClientModule,
    WorkflowGatewayModule,
    HealthModule,
    DiagnosticsModule,
    UnitsModule,
    CyclesModule,
    AuthModule,
    SubmissionsModule,
    EvaluationsModule,
    InboxModule,
    DeadLettersModule,
    BulletinModule,
    TemplatesModule,
    InspectionModule,
    CommitmentsModule,
    AttendanceModule,
    RectificationModule,
    CalendarModule,
    PortalModule,
  ],
  // Closed by default: every route needs a bearer token unless marked @Public() (see docs/AUTH-AND-SUBMISSIONS.md).
  providers: [
    { provide: APP_FILTER, useClass: DomainErrorFilter },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
})
export class AppModule {}
