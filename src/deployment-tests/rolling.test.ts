import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { openDatabase } from '../db/connection.js';
import { ProxyClient, startHaproxy, type Haproxy } from '../testing/haproxy.js';
import { assertNothingFailedOrLost, MIXED_LOAD_SERVER_ENV, registerPeople, runMixedLoad } from '../testing/mixed-load.js';
import { freePort } from '../testing/ports.js';
import { HttpClient, startServerProcess, type ServerProcess } from '../testing/server-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const CLIENTS = 20;
const LOAD_MS = 3000;
const SIGTERM_AFTER_MS = 1000;

interface Acknowledged {
  userId: number;
  cookie: string;
  via: string;
}

// Two instances on one PostgreSQL, as a rolling deploy runs them: the new one starts while the
// old one serves, then the old one is stopped in the middle of traffic.
if (BACKENDS.includes('postgres')) {
  describe('rolling deploy on one PostgreSQL', () => {
    let database: TestDatabase;
    const servers: ServerProcess[] = [];
    before(async () => {
      database = await createTestDatabase('postgres');
    });
    after(async () => {
      for (const server of servers) await server.stop();
      await database.drop();
    });

    it('loses no acknowledged write and answers no 5xx while A stops and B takes over', async () => {
      const a = await startServerProcess(database);
      servers.push(a);
      const person = new HttpClient(a.url);
      const registered = await person.request('POST', '/api/auth/register', { email: 'rolling@example.org', password: 'correct horse battery' });
      assert.equal(registered.status, 201);

      // B starts (its migration run takes the lock) while A keeps answering.
      const whileBStarts: number[] = [];
      let starting = true;
      const probe = (async () => {
        while (starting) whileBStarts.push((await person.request('GET', '/api/auth/me')).status);
      })();
      const b = await startServerProcess(database);
      servers.push(b);
      starting = false;
      await probe;
      assert.ok(whileBStarts.length > 0 && whileBStarts.every((s) => s === 200), JSON.stringify(whileBStarts));

      const statuses: number[] = [];
      const acknowledged: Acknowledged[] = [];
      let aStopped: Promise<number | string> | undefined;
      const deadline = Date.now() + LOAD_MS;
      setTimeout(() => {
        aStopped = a.stop('SIGTERM');
      }, SIGTERM_AFTER_MS);

      /** A durable write (a guest account and its session); a refused connection to A is retried on B. */
      const write = async (preferred: ServerProcess): Promise<void> => {
        for (const server of [preferred, b]) {
          const client = new HttpClient(server.url);
          let response;
          try {
            response = await client.request('POST', '/api/auth/guest');
          } catch {
            continue; // no HTTP response: not acknowledged, so not counted
          }
          statuses.push(response.status);
          if (response.status === 201) acknowledged.push({ userId: response.body.user.id, cookie: client.cookie, via: server === a ? 'A' : 'B' });
          return;
        }
      };
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, n) => {
          for (let i = 0; Date.now() < deadline; i++) await write((n + i) % 2 === 0 ? a : b);
        }),
      );

      assert.equal(await aStopped, 0, `A should exit 0 after SIGTERM:\n${a.output()}`);
      assert.deepEqual(statuses.filter((s) => s >= 500), [], 'no 5xx');
      assert.ok(acknowledged.some((w) => w.via === 'A') && acknowledged.some((w) => w.via === 'B'));

      // Every acknowledged write is there, read through B.
      for (let i = 0; i < acknowledged.length; i += 25) {
        await Promise.all(
          acknowledged.slice(i, i + 25).map(async (write) => {
            const check = new HttpClient(b.url);
            check.cookie = write.cookie;
            const me = await check.request('GET', '/api/auth/me');
            assert.equal(me.status, 200, `guest ${write.userId} written via ${write.via}`);
            assert.equal(me.body.user.id, write.userId);
          }),
        );
      }
      // The session made on A works on B.
      const onB = new HttpClient(b.url);
      onB.cookie = person.cookie;
      const me = await onB.request('GET', '/api/auth/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, 'rolling@example.org');
    });
  });
}

const ROLL_PEOPLE = 12;
// haproxy checks readiness every second and takes a server out after two failures; the
// default drain (SHUTDOWN_DRAIN_SECONDS=5) covers that with room to spare.
const CHECK_INTERVAL_MS = 1000;

// A rolling deploy as an operator runs one: two instances on one PostgreSQL behind Debian's
// haproxy (TLS, readiness checks on /health/ready), each replaced in turn (SIGTERM, then a new
// process on its port) under a mixed load of logins, workbook saves, chat, uploads and downloads.
if (BACKENDS.includes('postgres')) {
  describe('rolling deploy of two instances behind haproxy', () => {
    let database: TestDatabase;
    let proxy: Haproxy | undefined;
    const running = new Map<string, ServerProcess>();
    before(async () => {
      database = await createTestDatabase('postgres');
    });
    after(async () => {
      for (const server of running.values()) await server.stop();
      await proxy?.stop();
      await database.drop();
    });

    it('answers every request and loses no acknowledged write while both instances are replaced with SIGTERM', async (t) => {
      // The default drain: the test does not set SHUTDOWN_DRAIN_SECONDS (startServerProcess's 0 is undone).
      // Enough upload slots that one instance can take everyone's while the other restarts.
      const env = { ...MIXED_LOAD_SERVER_ENV, TRUST_PROXY: '1', MAX_UPLOADS_AT_ONCE: '32', SHUTDOWN_DRAIN_SECONDS: undefined };
      const ports = { a: await freePort(), b: await freePort() };
      running.set('a', await startServerProcess(database, env, ports.a));
      running.set('b', await startServerProcess(database, env, ports.b));
      proxy = await startHaproxy({
        backends: [
          { name: 'a', port: ports.a },
          { name: 'b', port: ports.b },
        ],
        healthPath: '/health/ready',
        checkIntervalMs: CHECK_INTERVAL_MS,
      });
      const clients: ProxyClient[] = [];
      const people = await registerPeople(ROLL_PEOPLE, (n) => {
        const client = new ProxyClient(proxy!, `127.0.0.${10 + n}`);
        clients.push(client);
        return client;
      }, 'roll');

      let rolled = false;
      const load = runMixedLoad(people, () => rolled);
      for (const name of ['a', 'b'] as const) {
        await sleep(1500);
        const old = running.get(name)!;
        const exit = await old.stop('SIGTERM');
        assert.equal(exit, 0, `${name} exits 0 after draining:\n${old.output()}`);
        running.delete(name);
        running.set(name, await startServerProcess(database, env, ports[name]));
        // The new process takes traffic once haproxy's check sees it ready.
        await sleep(2 * CHECK_INTERVAL_MS);
      }
      await sleep(1500);
      rolled = true;
      const result = await load;
      for (const client of clients) client.close();

      t.diagnostic(`${result.requests} requests during the roll; ${result.acknowledged.chatMessageIds.length} chat messages, ${result.acknowledged.files.length} uploads acknowledged`);
      await assertNothingFailedOrLost(database.config, result);
    });
  });
}
