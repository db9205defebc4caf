import type { CoachConfig } from '../config.js';
import { OfflineCoach } from './offline.js';
import { OpenAiCoach } from './openai.js';
import type { CoachProvider } from './provider.js';

/** The OpenAI-compatible coach when an endpoint and key are configured, else the offline one. */
export function createCoachProvider(config: CoachConfig): CoachProvider {
  if (config.apiUrl && config.apiKey) {
    return new OpenAiCoach({ ...config, apiUrl: config.apiUrl, apiKey: config.apiKey });
  }
  return new OfflineCoach();
}
