import { ConfigurationError, Env, validateEnv } from './env.schema';

/**
 * Validates process.env before Nest boots, so a bad value stops start-up with one line per problem
 * instead of a stack trace. Exits the process with status 78 (EX_CONFIG).
 */
export function loadConfigOrExit(processName: string, env: NodeJS.ProcessEnv = process.env): Env {
  try {
    return validateEnv(env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      for (const line of error.problems) process.stderr.write(`${processName}: configuration error: ${line}\n`);
      process.exit(78);
    }
    throw error;
  }
}
