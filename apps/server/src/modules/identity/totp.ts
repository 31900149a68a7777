import { generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD = 30;
export const newTotpSecret = (): string => generateSecret({ length: 20 });
export const totpUri = (secret: string, label: string): string =>
  generateURI({ issuer: 'Jiayuan 家园', label, secret, period: TOTP_PERIOD, digits: 6 });

/**
 * RFC 6238, 30 s steps, one step of tolerance either way. A code whose step is not after the last accepted step is
 * refused, so a code can never be used twice (ASVS 6.5.1). Returns the accepted step, or null.
 */
export async function checkTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastStep: number | null,
): Promise<number | null> {
  const epoch = Math.floor(nowMs / 1000);
  const result = await verify({
    secret,
    token: code,
    epoch,
    period: TOTP_PERIOD,
    epochTolerance: TOTP_PERIOD,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  if (!result.valid) return null;
  const step = (result as { timeStep?: number }).timeStep ?? Math.floor(epoch / TOTP_PERIOD);
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
