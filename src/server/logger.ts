// Structured JSON logs (pino). Anything that could carry a secret is redacted by path as a second line of
// defence: the code never logs passwords, tokens, OTP codes or GraphQL variables in the first place.
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.refreshToken',
  '*.accessToken',
  '*.code',
  '*.challenge',
  '*.recoveryCode',
  '*.passkeyResponse',
  '*.secret',
  'variables',
  '*.variables',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
