import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { LoginDto, LoginResponseDto, SessionDto, UserDto } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginThrottledError } from './login-throttle';
import { Authorized, CurrentUser, Public } from './authorized.decorator';
import { BearerAuthGuard, SESSION_COOKIE } from './bearer-auth.guard';
import type { AuthUser } from './roles';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly guard: BearerAuthGuard,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange e-mail and password for a bearer token (JWT)',
    description: `Also sets the token as the httpOnly, SameSite=Strict cookie \`${SESSION_COOKIE}\` (the web console's session; its writes must send X-Requested-With).`,
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password (one message for both)' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed logins for this account from this address (or from this address at all): wait Retry-After seconds',
  })
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponseDto> {
    let result: LoginResponseDto;
    try {
      result = await this.auth.login(dto, clientIp(req));
    } catch (error) {
      if (error instanceof LoginThrottledError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    res.cookie(SESSION_COOKIE, result.accessToken, { ...sessionCookie(req), maxAge: result.expiresIn * 1000 });
    return result;
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Clear the session cookie of the web console (bearer tokens simply expire)' })
  @ApiNoContentResponse()
  logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    res.clearCookie(SESSION_COOKIE, sessionCookie(req));
  }

  @Get('session')
  @Public()
  @ApiOperation({
    summary:
      'Who is signed in, if anyone: the web console asks this at start (200 either way, so a signed-out visit logs no error)',
  })
  @ApiOkResponse({ type: SessionDto })
  async session(@Req() req: Request): Promise<SessionDto> {
    const user = await this.guard.sessionOf(req);
    return { user: user && { ...user, active: true } };
  }

  @Get('me')
  @Authorized()
  @ApiOperation({ summary: 'The account of the bearer token' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}

/** Secure whenever the request came over HTTPS (behind a proxy: with express's trust proxy set); http on localhost works. */
function sessionCookie(req: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' };
}
