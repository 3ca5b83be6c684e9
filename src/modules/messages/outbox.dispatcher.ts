// Delivers pending outbox messages (SPEC §7): claims a batch under a lease, sends each through the
// configured channel, marks it SENT, or schedules a retry with exponential backoff until the configured
// number of tries is used up (then FAILED). Delivery is at least once: a dispatcher that dies between
// sending and marking leaves the lease to run out and the message is sent again with the same dedupe key,
// which the gateway uses as its idempotency key.
import type { Logger } from '../../server/logger.js';
import type { Clock } from '../../shared/clock.js';
import type { MessagePayload, MessageSender } from './message.channels.js';
import type { ClaimedMessage, OutboxDispatchRepository } from './outbox-dispatch.repository.js';

export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 60 * 60 * 1000;
/** Longer than the webhook timeout, so a live dispatcher always settles a message before its lease ends. */
export const LEASE_MS = 60_000;

/** Wait before try `attempts + 1`: 5 s, 10 s, 20 s, … doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

export interface DispatcherOptions {
  repository: OutboxDispatchRepository;
  sender: MessageSender;
  clock: Clock;
  log: Logger;
  maxAttempts: number;
  pollMs: number;
  batchSize?: number;
}

export function toPayload(message: ClaimedMessage): MessagePayload {
  return {
    id: message.id,
    dedupeKey: message.dedupeKey,
    to: message.to,
    channel: message.channel,
    template: message.template,
    text: message.text,
    variables: message.variables,
    createdAt: message.createdAt.toISOString(),
  };
}

export class MessageDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private readonly batchSize: number;

  constructor(private readonly options: DispatcherOptions) {
    this.batchSize = options.batchSize ?? 50;
  }

  get channelName(): string {
    return this.options.sender.name;
  }

  /** One pass over the messages that are due now. */
  async dispatchDue(): Promise<DispatchResult> {
    const { repository, clock, maxAttempts } = this.options;
    const now = clock.now();
    await repository.failAbandoned(now, maxAttempts);
    const claimed = await repository.claimDue({
      now,
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      limit: this.batchSize,
      maxAttempts,
    });
    const result: DispatchResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
    for (const message of claimed) {
      const outcome = await this.deliver(message);
      result[outcome] += 1;
    }
    return result;
  }

  /** Sends one claimed message and settles it. */
  async deliver(message: ClaimedMessage): Promise<'sent' | 'retried' | 'failed'> {
    const { repository, sender, clock, log, maxAttempts } = this.options;
    try {
      await sender.send(toPayload(message));
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'send failed';
      const giveUp = message.attempts >= maxAttempts;
      const retryAt = giveUp ? null : new Date(clock.now().getTime() + retryDelayMs(message.attempts));
      await repository.markFailedAttempt(message, reason, retryAt);
      log.warn({ messageId: message.id, template: message.template, attempts: message.attempts, giveUp, reason }, 'message not delivered');
      return giveUp ? 'failed' : 'retried';
    }
    await repository.markSent(message, clock.now());
    return 'sent';
  }

  /** Polls every MESSAGE_POLL_MS; a full batch is followed at once by the next one. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      this.timer = null;
      try {
        let result: DispatchResult;
        do {
          result = await this.dispatchDue();
        } while (this.running && result.claimed === this.batchSize);
      } catch (error) {
        this.options.log.error({ err: error }, 'message dispatch failed');
      }
      if (this.running) this.timer = setTimeout(run, this.options.pollMs);
    };
    const run = () => {
      this.inFlight = tick().finally(() => {
        this.inFlight = null;
      });
    };
    run();
  }

  /** Stops polling and waits for the pass in progress, so no message is left half-settled. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}
