import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { LoginDto, LoginResponseDto, UserDto } from './auth.dto';
import { AuthService } from './auth.service';
import { Authorized, CurrentUser, Public } from './authorized.decorator';
import type { AuthUser } from './roles';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange e-mail and password for a bearer token (JWT)' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password (one message for both)' })
  login(@Body() dto: LoginDto, @Req() req: Request) {
    return this.auth.login(dto, clientIp(req));
  }

  @Get('me')
  @Authorized()
  @ApiOperation({ summary: 'The account of the bearer token' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}
