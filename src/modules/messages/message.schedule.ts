// When a message may go out. Promotional messages only 09:00–21:00 IST (TRAI's window for promotional
// SMS, applied to every channel); transactional and service messages, OTPs among them, at any hour.
import { DAY_MS, IST_OFFSET_MS } from '../../shared/time.js';
import type { MessageCategory } from './message.catalogue.js';

const HOUR_MS = 60 * 60 * 1000;
const PROMOTIONAL_FROM_HOUR_IST = 9;
const PROMOTIONAL_UNTIL_HOUR_IST = 21;

/** `now` when a message of `category` may be sent now, else the next 09:00 IST. */
export function earliestSendingTime(category: MessageCategory, now: Date): Date {
  if (category !== 'promotional') return now;
  const istMs = now.getTime() + IST_OFFSET_MS;
  const dayStartIst = Math.floor(istMs / DAY_MS) * DAY_MS;
  const hourMs = istMs - dayStartIst;
  if (hourMs >= PROMOTIONAL_FROM_HOUR_IST * HOUR_MS && hourMs < PROMOTIONAL_UNTIL_HOUR_IST * HOUR_MS) return now;
  const nextDay = hourMs >= PROMOTIONAL_UNTIL_HOUR_IST * HOUR_MS ? DAY_MS : 0;
  return new Date(dayStartIst + nextDay + PROMOTIONAL_FROM_HOUR_IST * HOUR_MS - IST_OFFSET_MS);
}
