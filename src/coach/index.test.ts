import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config.js';
import { createCoachProvider } from './index.js';
import { OfflineCoach } from './offline.js';
import { OpenAiCoach } from './openai.js';

describe('coach configuration', () => {
  it('defaults to the offline coach, a 30 s timeout, one retry and a 30-day guest TTL', () => {
    const config = loadConfig({});
    assert.deepEqual(config.coach, {
      apiUrl: null,
      apiKey: null,
      model: 'gpt-4o-mini',
      stream: false,
      timeoutMs: 30_000,
      maxRetries: 1,
    });
    assert.equal(config.guestTtlDays, 30);
    assert.ok(createCoachProvider(config.coach) instanceof OfflineCoach);
  });

  it('uses an OpenAI-compatible endpoint when its URL and key are both set', () => {
    const config = loadConfig({ COACH_API_URL: 'http://127.0.0.1:9/v1', COACH_API_KEY: 'k', COACH_MODEL: 'm', COACH_STREAM: 'true' });
    assert.equal(config.coach.stream, true);
    const coach = createCoachProvider(config.coach);
    assert.ok(coach instanceof OpenAiCoach);
    assert.equal(coach.name, 'm');
  });

  it('refuses a half or invalid coach configuration and a bad guest TTL', () => {
    for (const env of [
      { COACH_API_URL: 'https://api.example.org/v1' },
      { COACH_API_KEY: 'k' },
      { COACH_API_URL: 'ftp://example.org', COACH_API_KEY: 'k' },
      { COACH_STREAM: 'sometimes' },
      { COACH_TIMEOUT_MS: '5' },
      { GUEST_TTL_DAYS: '0' },
      { GUEST_TTL_DAYS: 'forever' },
    ]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    }
  });
});
