import { channel } from 'node:diagnostics_channel';
import type { UnavailableReason } from '../db/unavailable.js';

export interface UnavailableEvent {
  reason: UnavailableReason | 'overloaded';
}

/**
 * Published once per request answered 503 for a reason outside the request (database down,
 * locked or failing; load shed). The metrics count them; publishers need not know about metrics.
 */
export const unavailableChannel = channel('mosaic:unavailable');

export function publishUnavailable(event: UnavailableEvent): void {
  if (unavailableChannel.hasSubscribers) unavailableChannel.publish(event);
}

export interface MailEvent {
  kind: string;
  /** sent: accepted by the SMTP server; retry: an attempt failed and will be retried; failed: given up. */
  outcome: 'sent' | 'retry' | 'failed';
}

/** Published by the mail sender (src/mail/sender.ts) for every delivery attempt's outcome. */
export const mailChannel = channel('mosaic:mail');

export function publishMail(event: MailEvent): void {
  if (mailChannel.hasSubscribers) mailChannel.publish(event);
}
