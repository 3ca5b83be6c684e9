// Delivers pending outbox messages (SPEC §7): claims a batch under a lease, sends the whole batch at once
// through the configured channel, marks each SENT, or schedules a retry with exponential backoff until the
// configured number of tries is used up (then FAILED). Sending the batch at once means every send of it
// ends (or times out) within one channel timeout of the claim, well inside the lease, so no other
// dispatcher can re-claim a message still waiting its turn. A send is started only while the lease
// outlasts the channel's timeout, and every mark is fenced by the claim (see the repository), so a
// dispatcher whose lease ran out neither sends nor marks. Delivery is at least once: a dispatcher that
// dies between sending and marking leaves the lease to run out and the message is sent again with the
// same dedupe key, which the gateway uses as its idempotency key. stop() aborts the sends in flight and
// hands their messages back unsent, to be sent at once by the next dispatcher.
import type { Logger } from '../../server/logger.js';
import type { Clock } from '../../shared/clock.js';
import type { MessagePayload, MessageSender } from './message.channels.js';
import type { ClaimedMessage, OutboxDispatchRepository } from './outbox-dispatch.repository.js';

export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 60 * 60 * 1000;
/** Longer than the webhook timeout, so a live dispatcher always settles its batch before its lease ends. */
export const LEASE_MS = 60_000;
/** Messages claimed (and sent at once) per pass. */
export const BATCH_SIZE = 20;

/** Wait before try `attempts + 1`: 5 s, 10 s, 20 s, … doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Given back unsent: aborted by stop(), or the lease would not have covered the send. */
  handedBack: number;
  /** Settled by another claim meanwhile: this pass's lease had run out, so nothing was written. */
  lost: number;
}

type Outcome = 'sent' | 'retried' | 'failed' | 'handedBack' | 'lost';

export interface DispatcherOptions {
  repository: OutboxDispatchRepository;
  sender: MessageSender;
  clock: Clock;
  log: Logger;
  maxAttempts: number;
  pollMs: number;
  batchSize?: number;
  /** Lease of a claim; LEASE_MS unless a test shortens it. */
  leaseMs?: number;
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
  /** Aborted by stop(): no new claim, and the sends in flight are cut short. */
  private stopping = new AbortController();
  private readonly batchSize: number;
  private readonly leaseMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.batchSize = options.batchSize ?? BATCH_SIZE;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  get channelName(): string {
    return this.options.sender.name;
  }

  /** One pass over the messages that are due now. */
  async dispatchDue(): Promise<DispatchResult> {
    const { repository, clock, maxAttempts } = this.options;
    const now = clock.now();
    const result: DispatchResult = { claimed: 0, sent: 0, retried: 0, failed: 0, handedBack: 0, lost: 0 };
    await repository.failAbandoned(now, maxAttempts);
    if (this.stopping.signal.aborted) return result;
    const claimed = await repository.claimDue({
      now,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
      limit: this.batchSize,
      maxAttempts,
    });
    result.claimed = claimed.length;
    const outcomes = await Promise.all(claimed.map((message) => this.deliver(message)));
    for (const outcome of outcomes) result[outcome] += 1;
    return result;
  }

  /** Sends one claimed message and settles it, unless its lease or stop() says otherwise. */
  async deliver(message: ClaimedMessage): Promise<Outcome> {
    const { repository, sender, clock, log, maxAttempts } = this.options;
    const signal = this.stopping.signal;
    if (signal.aborted || clock.now().getTime() + sender.timeoutMs >= message.leaseUntil.getTime()) {
      return (await repository.handBack(message)) ? 'handedBack' : 'lost';
    }
    try {
      await sender.send(toPayload(message), signal);
    } catch (error) {
      if (signal.aborted) {
        log.info({ messageId: message.id, template: message.template }, 'message send aborted by shutdown: handed back');
        return (await repository.handBack(message)) ? 'handedBack' : 'lost';
      }
      const reason = error instanceof Error ? error.message : 'send failed';
      const giveUp = message.attempts >= maxAttempts;
      const retryAt = giveUp ? null : new Date(clock.now().getTime() + retryDelayMs(message.attempts));
      if (!(await repository.markFailedAttempt(message, reason, retryAt))) return this.lostLease(message);
      log.warn({ messageId: message.id, template: message.template, attempts: message.attempts, giveUp, reason }, 'message not delivered');
      return giveUp ? 'failed' : 'retried';
    }
    if (!(await repository.markSent(message, clock.now()))) return this.lostLease(message);
    return 'sent';
  }

  private lostLease(message: ClaimedMessage): 'lost' {
    this.options.log.warn({ messageId: message.id, template: message.template, attempts: message.attempts }, 'message lease ran out before it was settled');
    return 'lost';
  }

  /** Polls every MESSAGE_POLL_MS; a full batch is followed at once by the next one. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
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

  /**
   * Stops polling, aborts the sends in flight (their messages are handed back unsent) and waits for the
   * pass in progress to settle, so no message is left half-settled.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.inFlight;
  }
}
