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
// Routes (docs/messages.md): a transactional message to a customer who opted in to WhatsApp goes by
// WhatsApp first when a WhatsApp provider is configured; a WhatsApp try the provider refuses, or one not
// reported DELIVERED within the fallback time, goes on to SMS with the same dedupe key (one message, one
// key, a try per channel). Every other message goes on the channel it was queued for.
// Before a send: a message whose code has expired is EXPIRED, never sent; a promotional message is
// SUPPRESSED unless its customer has given marketing consent, and moved to the next 09:00 IST outside
// 09:00–21:00 IST (the try does not count).
import type { MessageChannel } from '../../generated/prisma/enums.js';
import type { Logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/clock.js';
import type { MessagePayload, MessageSender, OutgoingMessage } from './message.channels.js';
import { earliestSendingTime } from './message.schedule.js';
import { holdsSecrets, renderMessage, templateCategory, type RenderedMessage } from './message.templates.js';
import type { ClaimedMessage, OutboxDispatchRepository } from './outbox-dispatch.repository.js';

const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 60 * 60 * 1000;
/** Longer than the webhook timeout, so a live dispatcher always settles its batch before its lease ends. */
export const LEASE_MS = 60_000;
/** MESSAGE_WHATSAPP_FALLBACK_SECONDS's default. */
const DEFAULT_FALLBACK_MS = 120_000;
/** Messages claimed (and sent at once) per pass. */
export const BATCH_SIZE = 20;

/** Wait before try `attempts + 1`: 5 s, 10 s, 20 s, … doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
}

interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Given back unsent: aborted by stop(), or the lease would not have covered the send. */
  handedBack: number;
  /** Settled by another claim meanwhile: this pass's lease had run out, so nothing was written. */
  lost: number;
  /** WhatsApp tries refused by the provider: the message goes on to SMS at once. */
  fellBack: number;
  /** WhatsApp messages not DELIVERED within the fallback time, queued again for SMS by this pass. */
  overdue: number;
  /** Not sent: the code it carries expired first. */
  expired: number;
  /** Not sent: promotional, and the customer has not given marketing consent. */
  suppressed: number;
  /** Promotional outside 09:00–21:00 IST: moved to the next 09:00 IST. */
  deferred: number;
}

type Outcome = 'sent' | 'retried' | 'failed' | 'handedBack' | 'lost' | 'fellBack' | 'expired' | 'suppressed' | 'deferred';

interface DispatcherOptions {
  repository: OutboxDispatchRepository;
  sender: MessageSender;
  clock: Clock;
  log: Logger;
  maxAttempts: number;
  pollMs: number;
  batchSize?: number;
  /** Lease of a claim; LEASE_MS unless a test shortens it. */
  leaseMs?: number;
  /** How long a WhatsApp try may wait for its DELIVERED report before SMS follows. */
  whatsappFallbackMs?: number;
}

/**
 * The channel of a message's first try. Messages holding a code or token stay on SMS: the code must
 * leave the database once sent, and SMS is where phones fill codes in by themselves.
 */
export function firstChannel(message: Pick<ClaimedMessage, 'channel' | 'template' | 'whatsappOptIn'>, sendsWhatsApp: boolean): MessageChannel {
  const whatsappFirst =
    sendsWhatsApp &&
    message.channel === 'SMS' &&
    message.whatsappOptIn &&
    templateCategory(message.template) === 'transactional' &&
    !holdsSecrets(message.template);
  return whatsappFirst ? 'WHATSAPP' : (message.channel as MessageChannel);
}

/** The JSON object a channel carries (SPEC §7), from the message as rendered for its channel. */
export function toPayload(
  message: ClaimedMessage,
  rendered: RenderedMessage = renderMessage(message.template, message.channel as RenderedMessage['channel'], message.variables),
): MessagePayload {
  return {
    id: message.id,
    dedupeKey: message.dedupeKey,
    to: message.to,
    channel: rendered.channel,
    template: message.template,
    category: rendered.category,
    text: rendered.text,
    variables: message.variables,
    createdAt: message.createdAt.toISOString(),
    ...(rendered.dlt ? { dlt: rendered.dlt } : {}),
    ...(rendered.subject ? { subject: rendered.subject } : {}),
    ...(rendered.whatsapp ? { whatsapp: rendered.whatsapp } : {}),
  };
}

/** The message as the channel layer takes it: rendered already; a template's DLT registration joins it here. */
function toOutgoing(message: ClaimedMessage, rendered: RenderedMessage): OutgoingMessage {
  return { ...toPayload(message, rendered), category: rendered.category };
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
    const result: DispatchResult = {
      claimed: 0,
      sent: 0,
      retried: 0,
      failed: 0,
      handedBack: 0,
      lost: 0,
      fellBack: 0,
      overdue: 0,
      expired: 0,
      suppressed: 0,
      deferred: 0,
    };
    await repository.failAbandoned(now, maxAttempts);
    if (this.options.sender.sendsWhatsApp) result.overdue = await repository.fallBackOverdue(now);
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
    const { repository, sender, clock, log } = this.options;
    const signal = this.stopping.signal;
    if (signal.aborted || clock.now().getTime() + sender.timeoutMs >= message.leaseUntil.getTime()) {
      return (await repository.handBack(message)) ? 'handedBack' : 'lost';
    }
    const channel = message.deliveryChannel ?? firstChannel(message, sender.sendsWhatsApp);
    const now = clock.now();
    if (message.expiresAt && now >= message.expiresAt) {
      return (await repository.settleUnsent(message, 'EXPIRED', 'expired: the code expired before it was sent')) ? 'expired' : this.lostLease(message);
    }
    let rendered: RenderedMessage;
    try {
      rendered = renderMessage(message.template, channel, message.variables);
    } catch (error) {
      // Values were checked when the message was queued: only a catalogue changed since can refuse them.
      const reason = `not rendered: ${(error as Error).message}`;
      log.error({ messageId: message.id, template: message.template, reason }, 'message cannot be rendered');
      const failed = { channel, provider: sender.providerFor(channel), error: reason };
      return (await repository.markFailedAttempt(message, failed, null, now)) ? 'failed' : this.lostLease(message);
    }
    if (rendered.category === 'promotional') {
      // Read now, not when it was queued: consent withdrawn since holds for messages already queued.
      if (!(await repository.hasMarketingConsent(message))) {
        return (await repository.settleUnsent(message, 'SUPPRESSED', 'suppressed: no marketing consent')) ? 'suppressed' : this.lostLease(message);
      }
      const earliest = earliestSendingTime('promotional', now);
      if (earliest > now) return (await repository.defer(message, earliest)) ? 'deferred' : this.lostLease(message);
    }
    let accepted;
    try {
      accepted = await sender.send(toOutgoing(message, rendered), signal);
    } catch (error) {
      return this.afterRefusedSend(message, channel, error);
    }
    const sentAt = clock.now();
    const fallbackAt = channel === 'WHATSAPP' ? new Date(sentAt.getTime() + (this.options.whatsappFallbackMs ?? DEFAULT_FALLBACK_MS)) : null;
    if (!(await repository.markSent(message, sentAt, { ...accepted, channel, fallbackAt }))) return this.lostLease(message);
    return 'sent';
  }

  /** A send that threw: handed back at shutdown, WhatsApp falls back to SMS, anything else is retried or given up. */
  private async afterRefusedSend(message: ClaimedMessage, channel: MessageChannel, error: unknown): Promise<Outcome> {
    const { repository, sender, clock, log, maxAttempts } = this.options;
    const signal = this.stopping.signal;
    if (signal.aborted) {
      log.info({ messageId: message.id, template: message.template }, 'message send aborted by shutdown: handed back');
      return (await repository.handBack(message)) ? 'handedBack' : 'lost';
    }
    const failed = { channel, provider: sender.providerFor(channel), error: error instanceof Error ? error.message : 'send failed' };
    if (channel === 'WHATSAPP') {
      if (!(await repository.fallBack(message, failed, clock.now()))) return this.lostLease(message);
      log.warn({ messageId: message.id, template: message.template, reason: failed.error }, 'WhatsApp refused the message: falling back to SMS');
      return 'fellBack';
    }
    const giveUp = message.attempts >= maxAttempts;
    const retryAt = giveUp ? null : new Date(clock.now().getTime() + retryDelayMs(message.attempts));
    if (retryAt && message.expiresAt && retryAt >= message.expiresAt) {
      // The next try would come after the code expired: no try is left that could be used.
      const settled = await repository.settleUnsent(message, 'EXPIRED', `expired: ${failed.error}; the code expires before the next try`);
      return settled ? 'expired' : this.lostLease(message);
    }
    if (!(await repository.markFailedAttempt(message, failed, retryAt, clock.now()))) return this.lostLease(message);
    log.warn({ messageId: message.id, template: message.template, channel, attempts: message.attempts, giveUp, reason: failed.error }, 'message not delivered');
    return giveUp ? 'failed' : 'retried';
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
