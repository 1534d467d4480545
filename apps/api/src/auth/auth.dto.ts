import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { Role, ROLES } from './roles';

export class LoginDto {
  @ApiProperty({ example: 'office@example.org' })
  @IsEmail({}, { message: 'must be an e-mail address' })
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ nullable: true, type: String }) unitId: string | null;
  @ApiProperty() active: boolean;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <accessToken>`' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: () => UserDto }) user: UserDto;
}

export class CreateUserDto {
  @ApiProperty({ example: 'secretary@school-3.example.org' })
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: '王书记' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName: string;

  @ApiProperty({ minLength: 12, description: 'Stored only as an argon2id hash' })
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['unit_secretary'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` })
  roles: Role[];

  @ApiPropertyOptional({ description: 'Required for unit_secretary / unit_submitter, forbidden otherwise' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) displayName?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: `each role must be one of: ${ROLES.join(', ')}` })
  roles?: Role[];

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'null removes the unit (office and auditor roles)',
  })
  @ValidateIf((o: UpdateUserDto) => o.unitId !== undefined && o.unitId !== null)
  @IsUUID()
  unitId?: string | null;

  @ApiPropertyOptional({ description: 'false: every token of the account stops working at once' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minLength: 12, description: 'Set a new password (e.g. after a reset)' })
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  @MaxLength(200)
  password?: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) currentPassword: string;
  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  @MaxLength(200)
  newPassword: string;
}

export class SessionDto {
  @ApiProperty({
    type: () => UserDto,
    nullable: true,
    description: 'null: not signed in (no, an expired or a revoked session)',
  })
  user: UserDto | null;
}
