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
