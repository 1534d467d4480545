import { Body, Controller, Get, Param, ParseUUIDPipe, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { ChangePasswordDto, CreateUserDto, UpdateUserDto, UserDto } from './auth.dto';
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

  @Patch(':id')
  @Authorized('office_admin')
  @ApiOperation({ summary: 'Change roles, unit, name, password or deactivate (takes effect on the next request)' })
  @ApiOkResponse({ type: UserDto })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
  ) {
    return this.users.update(id, dto, user, clientIp(req));
  }

  @Post('me/password')
  @Authorized()
  @HttpCode(200)
  @ApiOperation({ summary: 'Change your own password (the current one is required)' })
  changePassword(@Body() dto: ChangePasswordDto, @CurrentUser() user: AuthUser, @Req() req: Request) {
    return this.users.changeOwnPassword(user, dto, clientIp(req));
  }

  @Get()
  @Authorized('office_admin', 'auditor')
  @ApiOperation({ summary: 'List accounts' })
  @ApiOkResponse({ type: UserDto, isArray: true })
  list() {
    return this.users.list();
  }
}
