import { Body, Controller, Get, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { CreateUserDto, UserDto } from './auth.dto';
import { Authorized, CurrentUser } from './authorized.decorator';
import type { AuthUser } from './roles';
import { UsersService } from './users.service';

@ApiTags('auth')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Authorized('office_admin')
  @ApiOperation({ summary: 'Create an account (office admins only); unit roles need the unit' })
  @ApiCreatedResponse({ type: UserDto })
  create(@Body() dto: CreateUserDto, @CurrentUser() user: AuthUser, @Req() req: Request) {
    return this.users.create(dto, user, clientIp(req));
  }

  @Get()
  @Authorized('office_admin', 'auditor')
  @ApiOperation({ summary: 'List accounts' })
  @ApiOkResponse({ type: UserDto, isArray: true })
  list() {
    return this.users.list();
  }
}
