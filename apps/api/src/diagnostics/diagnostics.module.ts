import { Module } from '@nestjs/common';
import { RoundTripController } from './round-trip.controller';
import { RoundTripService } from './round-trip.service';

@Module({ controllers: [RoundTripController], providers: [RoundTripService] })
export class DiagnosticsModule {}
