import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config.js';
import { UNLIMITED, useTestApp, type TestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { addressKey, proxyTrust, validAddress } from './client-address.js';

const PASSWORD = 'correct horse battery';

describe('TRUST_PROXY parsing', () => {
  it('reads false, a hop count, true and lists of addresses or CIDR ranges', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ TRUST_PROXY: ' 2 ' }).trustProxy, 2);
    assert.equal(loadConfig({ TRUST_PROXY: 'TRUE' }).trustProxy, true);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,fd00::/8' }).trustProxy, ['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
  });

  it('refuses entries that are neither an address nor a CIDR range, and absurd hop counts', () => {
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.0/', '10.0.0.1/8/2', 'fd00::/129', 'proxy.internal', '101']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: bad }), ConfigError, bad);
    }
  });
});

describe('proxy trust and address keys', () => {
  it('a hop count believes exactly that many hops, whatever their addresses', () => {
    const trust = proxyTrust(1);
    assert.ok(trust);
    assert.equal(trust('203.0.113.5', 0), true);
    assert.equal(trust('10.0.0.1', 1), false);
    assert.equal(proxyTrust(false), false);
    assert.equal(proxyTrust(0), false);
  });

  it('a list believes only its addresses and ranges, IPv4-mapped peers included', () => {
    const trust = proxyTrust(['10.0.0.0/8', '2001:db8::1']);
    assert.ok(trust);
    assert.equal(trust('10.200.3.4', 0), true);
    assert.equal(trust('::ffff:10.200.3.4', 0), true);
    assert.equal(trust('11.0.0.1', 0), false);
    assert.equal(trust('2001:db8::1', 0), true);
    assert.equal(trust('2001:db8::2', 0), false);
    assert.equal(trust('not-an-address', 0), false);
  });

  it('validates addresses: an IP of sane length, IPv4-mapped ones unmapped', () => {
    assert.equal(validAddress('192.0.2.1'), '192.0.2.1');
    assert.equal(validAddress('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(validAddress('2001:db8::1'), '2001:db8::1');
    assert.equal(validAddress('unknown'), null);
    assert.equal(validAddress('1.2.3.4'.padEnd(6000, ' ')), null);
    assert.equal(validAddress(undefined), null);
  });

  it('keys IPv4 by the address and IPv6 by its /64', () => {
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:DB8:0001:0002::ffff'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
  });
});

/** The address stored with the newest session, as the session list and export show it. */
async function newestSessionAddress(t: TestApp): Promise<string | null> {
  const row = await t.ctx.db.selectFrom('sessions').select('ip').orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return row.ip;
}

for (const backend of BACKENDS) {
  describe(`behind one TLS-terminating proxy (TRUST_PROXY=1) on ${backend}`, () => {
    const t = useTestApp(backend, { trustProxy: loadConfig({ TRUST_PROXY: '1' }).trustProxy, rateLimits: { ...UNLIMITED, registrationsPerHour: 2 } });
    const viaProxy = (client: string, extra: Record<string, string> = {}) => ({
      'x-forwarded-for': client,
      'x-forwarded-proto': 'https',
      host: 'mosaic.example.org',
      origin: 'https://mosaic.example.org',
      ...extra,
    });

    it('accepts the https Origin the proxy forwarded and records the client, not the proxy', async () => {
      const client = t.client();
      const registered = await client.post('/api/auth/register', { email: 'proxied@example.org', password: PASSWORD }, viaProxy('198.51.100.20'));
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      assert.equal(await newestSessionAddress(t), '198.51.100.20');
      const other = await client.post('/api/auth/login', { email: 'proxied@example.org', password: PASSWORD }, viaProxy('198.51.100.21', { origin: 'https://evil.example' }));
      assert.equal(other.status, 403);
      assert.equal(other.body.error.code, 'forbidden_origin');
      // Plain http at the proxy is another origin than https.
      const downgraded = await client.post('/api/auth/login', { email: 'proxied@example.org', password: PASSWORD }, viaProxy('198.51.100.21', { 'x-forwarded-proto': 'http' }));
      assert.equal(downgraded.status, 403);
    });

    it('uses the connection address when the forwarded one is not an IP or too long', async () => {
      for (const forged of ['1.2.3.4'.padEnd(6000, 'x'), 'evil', '198.51.100.30, <script>']) {
        const client = t.client();
        const guest = await client.post('/api/auth/guest', undefined, viaProxy(forged));
        assert.equal(guest.status, 201, JSON.stringify(guest.body));
        assert.equal(await newestSessionAddress(t), '127.0.0.1', forged.slice(0, 40));
      }
    });

    it('counts per-address limits per client, and one IPv6 /64 as one client', async () => {
      const register = (address: string) =>
        t.client().post('/api/auth/register', { email: `r-${Math.random().toString(36).slice(2)}@example.org`, password: PASSWORD }, viaProxy(address));
      assert.equal((await register('2001:db8:7:7::1')).status, 201);
      assert.equal((await register('2001:db8:7:7:ffff::2')).status, 201);
      const third = await register('2001:db8:7:7:1234:5678:9abc:def0');
      assert.equal(third.status, 429);
      assert.equal(third.body.error.code, 'rate_limited');
      // Another /64 and another IPv4 client have budgets of their own.
      assert.equal((await register('2001:db8:7:8::1')).status, 201);
      assert.equal((await register('203.0.113.40')).status, 201);
    });

    it('believes X-Request-Id from the proxy', async () => {
      const response = await t.client().get('/health', { 'x-request-id': 'from-proxy-1' });
      assert.equal(response.headers['x-request-id'], 'from-proxy-1');
    });
  });

  describe(`behind listed proxies (TRUST_PROXY=10.0.0.0/8) on ${backend}`, () => {
    const t = useTestApp(backend, { trustProxy: loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy });

    it('believes X-Forwarded-* only from a listed proxy', async () => {
      const headers = { 'x-forwarded-for': '198.51.100.50', 'x-request-id': 'chosen-by-client' };
      const fromProxy = await t.client().request({ method: 'POST', url: '/api/auth/guest', headers, remoteAddress: '10.9.8.7' });
      assert.equal(fromProxy.status, 201);
      assert.equal(await newestSessionAddress(t), '198.51.100.50');
      assert.equal(fromProxy.headers['x-request-id'], 'chosen-by-client');
      const direct = await t.client().request({ method: 'POST', url: '/api/auth/guest', headers, remoteAddress: '192.0.2.9' });
      assert.equal(direct.status, 201);
      assert.equal(await newestSessionAddress(t), '192.0.2.9');
      assert.notEqual(direct.headers['x-request-id'], 'chosen-by-client');
    });
  });
}
