import { elfExecutable, pdfDocument } from '../fixtures.js';
import type { Ledger, WriteKind } from './ledger.js';
import { Person, sha256, type TrackedFile, type TrackedMatch, type Workbook } from './people.js';
import type { SeededRandom } from './random.js';

/** The process died under the request: a connection refused was never sent, anything else is unknown. */
export class ServerGone extends Error {
  constructor(readonly sent: boolean) {
    super(sent ? 'no answer: the server died during the request' : 'the server was not listening');
  }
}

type Response = Awaited<ReturnType<Person['client']['request']>>;

const STATUSES = ['saved', 'applied', 'interviewing', 'offer', 'rejected', 'archived'];
const PHRASES = [
  'data analysis and sql reporting for the finance team',
  'teaching and curriculum design with patience',
  'project management, stakeholder management and prioritization',
  'user research, prototyping and usability testing',
  'python programming, debugging and software design',
  'customer service and troubleshooting hardware',
  'statistics, spreadsheets and data visualization',
];

/** Settles into workbook/matches/account what a look at the server shows, checking it is whole. */
export class Workload {
  #people = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly random: SeededRandom,
    private readonly seed: number,
    private readonly promptKeys: string[],
  ) {}

  /** Sends one request and classifies its answer; a lost answer is recorded and thrown as ServerGone. */
  async #send(person: Person, kind: WriteKind, method: string, path: string, body?: unknown, expected: number[] = [200, 201, 204]) {
    let response: Response;
    try {
      response = await person.client.request(method, path, body);
    } catch (error) {
      const sent = (error as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED';
      if (sent) this.ledger.record(kind, 'unknown');
      throw new ServerGone(sent);
    }
    this.ledger.record(kind, response.status >= 200 && response.status < 300 ? 'acknowledged' : 'failed');
    // A rate limit (429) or load shedding (503) is a failed write like any other: allowed, and
    // checked like the rest to have stored nothing.
    const allowed = [...expected, 429, 503];
    this.ledger.check(allowed.includes(response.status), () => `${kind} by person ${person.number}: ${method} ${path} answered ${response.status} ${JSON.stringify(response.body).slice(0, 300)}, expected ${allowed.join(' or ')}`);
    person.writes++;
    return response;
  }

  /** A read during the workload; a lost answer ends the person's turn like a write's. */
  async #read(person: Person, path: string): Promise<Response> {
    try {
      return await person.look('GET', path);
    } catch {
      throw new ServerGone(false);
    }
  }

  /** A new person: registered (most) or a guest. Returns null when the answer was lost. */
  async newPerson(baseUrl: string, registered: boolean): Promise<Person | null> {
    const n = ++this.#people;
    const person = new Person(n, baseUrl, registered ? `soak-${this.seed}-${n}@example.org` : null, `soak password ${this.seed} ${n}`);
    try {
      const response = registered
        ? await this.#send(person, 'registration', 'POST', '/api/auth/register', { email: person.email, password: person.password }, [201])
        : await this.#send(person, 'guest', 'POST', '/api/auth/guest', undefined, [201]);
      if (response.status !== 201) return null;
      person.userId = response.body.user.id;
      return person;
    } catch (error) {
      if (error instanceof ServerGone && error.sent && registered) {
        // Registered or not, wholly: a login will tell.
        person.state = 'maybe created';
        person.uncertain = true;
        return person;
      }
      throw error;
    }
  }

  /** One write, chosen by the person's state. Throws ServerGone when the server died. */
  async step(person: Person): Promise<void> {
    if (person.uncertain) await this.settle(person);
    if (person.state !== 'live') return;
    const present = person.files.size > 0 ? [...person.files.values()].filter((f) => f.state === 'present') : [];
    const resumes = person.resumes.filter((r) => r.state === 'present');
    const matches = [...person.matches.entries()].filter(([, m]) => m.pending === undefined);
    const kind = this.random.weighted<WriteKind>([
      ['workbook save', 5],
      ['chat', 4],
      ['upload', 3],
      ['login', person.email ? 1 : 0],
      ['match refresh', Object.keys(person.workbook.answers).length > 0 ? 1 : 0],
      ['match status', matches.length > 0 ? 3 : 0],
      ['résumé', 2],
      ['résumé feedback', resumes.length > 0 ? 2 : 0],
      ['file deletion', present.length > 1 ? 1 : 0],
      ['résumé deletion', resumes.length > 1 ? 1 : 0],
      ['account deletion', person.writes > 12 ? 0.4 : 0],
    ]);
    switch (kind) {
      case 'workbook save':
        return this.#saveWorkbook(person);
      case 'chat':
        return this.#chat(person);
      case 'upload':
        return this.#upload(person);
      case 'login': {
        const response = await this.#send(person, 'login', 'POST', '/api/auth/login', { email: person.email, password: person.password }, [200]);
        if (response.status === 200) person.userId = response.body.user.id;
        return;
      }
      case 'match refresh':
        return this.#refreshMatches(person);
      case 'match status':
        return this.#changeStatus(person, this.random.pick(matches));
      case 'résumé':
        return this.#createResume(person);
      case 'résumé feedback': {
        const resume = this.random.pick(resumes);
        try {
          const response = await this.#send(person, kind, 'POST', `/api/resumes/${resume.id}/feedback`, undefined, [201]);
          if (response.status === 201) resume.feedback++;
        } catch (error) {
          if (error instanceof ServerGone && error.sent) resume.unknownFeedback++;
          throw error;
        }
        return;
      }
      case 'file deletion': {
        const file = this.random.pick(present);
        return this.#delete(person, kind, `/api/files/${file.id}`, file);
      }
      case 'résumé deletion': {
        const resume = this.random.pick(resumes);
        return this.#delete(person, kind, `/api/resumes/${resume.id}`, resume);
      }
      case 'account deletion':
        return this.#deleteAccount(person);
      default:
        throw new Error(`no workload for ${kind}`);
    }
  }

  /** Deletes a file or résumé; with no answer, it may be gone or not (the checks accept either, whole). */
  async #delete(person: Person, kind: WriteKind, path: string, item: { state: TrackedFile['state'] }): Promise<void> {
    try {
      const response = await this.#send(person, kind, 'DELETE', path, undefined, [204]);
      if (response.status === 204) item.state = 'deleted';
    } catch (error) {
      if (error instanceof ServerGone && error.sent) item.state = 'maybe deleted';
      throw error;
    }
  }

  async #saveWorkbook(person: Person): Promise<void> {
    // Now and then a save from a stale tab: 409, and nothing of it may land.
    if (person.workbook.revision > 0 && this.random.chance(0.1)) {
      const stale = { revision: person.workbook.revision - 1, answers: { [this.random.pick(this.promptKeys)]: 'stale tab' } };
      await this.#send(person, 'workbook save', 'PUT', '/api/ps101', stale, [409]);
      return;
    }
    const patch: Record<string, string> = {};
    for (let i = this.random.int(1, 3); i > 0; i--) {
      patch[this.random.pick(this.promptKeys)] = `${this.random.pick(PHRASES)} (${person.number}.${person.workbook.revision + 1}.${i}) é✓`;
    }
    const expected: Workbook = { revision: person.workbook.revision + 1, answers: { ...person.workbook.answers, ...patch } };
    try {
      const response = await this.#send(person, 'workbook save', 'PUT', '/api/ps101', { revision: person.workbook.revision, answers: patch }, [200]);
      if (response.status !== 200) return;
      person.workbook = { revision: response.body.revision, answers: response.body.answers };
      this.ledger.check(sameWorkbook(person.workbook, expected), () => `workbook save by person ${person.number} answered ${JSON.stringify(person.workbook)}, expected ${JSON.stringify(expected)}`);
    } catch (error) {
      if (error instanceof ServerGone && error.sent) {
        person.pendingWorkbook = expected;
        person.uncertain = true;
      }
      throw error;
    }
  }

  async #chat(person: Person): Promise<void> {
    const content = `soak ${this.seed} message ${person.number}.${person.chats.length + 1}: I would like to move into ${this.random.pick(PHRASES)} by March.`;
    const exchange = { content, outcome: 'unknown' as const };
    person.chats.push(exchange);
    const response = await this.#send(person, 'chat', 'POST', '/api/chat/messages', { content }, [201]);
    if (response.status === 201) {
      Object.assign(exchange, { outcome: 'acknowledged', messageId: response.body.message.id, replyId: response.body.reply.id });
    } else {
      Object.assign(exchange, { outcome: 'failed' });
    }
  }

  async #upload(person: Person): Promise<void> {
    const refused = this.random.chance(0.1);
    const label = `soak ${this.seed} file ${person.number}.${person.files.size + person.refusedUploads.size + 1}`;
    let bytes: Buffer;
    let name: string;
    if (refused) {
      bytes = Buffer.concat([elfExecutable(), Buffer.from(label)]);
      name = 'tool.bin';
    } else if (this.random.chance(0.15)) {
      bytes = pdfDocument([label, this.random.pick(PHRASES)]);
      name = 'cv.pdf';
    } else {
      // Up to ~256 KB, so a kill lands in the middle of some uploads' transactions.
      bytes = Buffer.from(`${label}\n${`${this.random.pick(PHRASES)}\n`.repeat(this.random.int(1, 4000))}`);
      name = 'notes.txt';
    }
    const hash = sha256(bytes);
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    if (refused) {
      person.refusedUploads.add(hash);
      await this.#send(person, 'upload', 'POST', '/api/files', form, [415]);
      return;
    }
    const file = { sha256: hash, size: bytes.length, state: 'maybe present' as const };
    person.files.set(hash, file);
    const response = await this.#send(person, 'upload', 'POST', '/api/files', form, [201]);
    if (response.status === 201) {
      Object.assign(file, { state: 'present', id: response.body.file.id });
      this.ledger.check(response.body.file.sha256 === hash, () => `upload by person ${person.number}: the server's sha256 ${response.body.file.sha256} is not ${hash}`);
    } else {
      person.files.delete(hash);
    }
  }

  async #refreshMatches(person: Person): Promise<void> {
    let response;
    try {
      response = await this.#send(person, 'match refresh', 'POST', '/api/jobs/matches/refresh', undefined, [200]);
    } catch (error) {
      if (error instanceof ServerGone && error.sent) {
        person.matchesStale = true;
        person.uncertain = true;
      }
      throw error;
    }
    if (response.status === 200) this.#reconcileMatches(person, response.body.matches, 'refresh');
  }

  /** Takes the server's list of matches: tracked ones must all be there with their status. */
  #reconcileMatches(person: Person, listed: { id: number; status: string | null }[], when: string): void {
    const byId = new Map(listed.map((m) => [m.id, m]));
    for (const [id, match] of person.matches) {
      if (match.status === null && match.pending === undefined) continue;
      const found = byId.get(id);
      const allowed = [match.status, ...(match.pending !== undefined ? [match.pending] : [])];
      this.ledger.check(found !== undefined && allowed.includes(found.status), () => `match ${id} of person ${person.number} after ${when}: status ${found ? found.status : 'missing'}, expected ${allowed.join(' or ')}`);
    }
    const next = new Map<number, TrackedMatch>();
    for (const m of listed) {
      const known = person.matches.get(m.id);
      const applied = known?.pending !== undefined && m.status === known.pending && m.status !== known.status;
      next.set(m.id, { status: m.status, events: (known?.events ?? 0) + (applied ? 1 : 0) });
    }
    person.matches.clear();
    for (const [id, m] of next) person.matches.set(id, m);
    person.matchesStale = false;
  }

  async #changeStatus(person: Person, [id, match]: [number, TrackedMatch]): Promise<void> {
    if (this.random.chance(0.1)) {
      await this.#send(person, 'match status', 'PATCH', `/api/jobs/matches/${id}`, { status: 'hired' }, [400]);
      return;
    }
    const status = this.random.pick(STATUSES);
    try {
      const response = await this.#send(person, 'match status', 'PATCH', `/api/jobs/matches/${id}`, { status }, [200]);
      if (response.status !== 200) return;
      if (match.status !== status) match.events++;
      match.status = status;
    } catch (error) {
      if (error instanceof ServerGone && error.sent) {
        match.pending = status;
        person.uncertain = true;
      }
      throw error;
    }
  }

  async #createResume(person: Person): Promise<void> {
    const resume = {
      name: `Résumé ${person.resumes.length + 1}`,
      content: `Summary\nsoak ${this.seed} résumé ${person.number}.${person.resumes.length + 1}\nLed ${this.random.pick(PHRASES)}, cutting costs by ${this.random.int(5, 40)}%.`,
      state: 'maybe present' as const,
      feedback: 0,
      unknownFeedback: 0,
    };
    person.resumes.push(resume);
    const response = await this.#send(person, 'résumé', 'POST', '/api/resumes', { name: resume.name, content: resume.content }, [201]);
    if (response.status === 201) Object.assign(resume, { state: 'present', id: response.body.resume.id });
    else person.resumes.pop();
  }

  async #deleteAccount(person: Person): Promise<void> {
    // A wrong password first, sometimes: 401, and the account stays whole.
    if (person.email && this.random.chance(0.3)) {
      await this.#send(person, 'account deletion', 'DELETE', '/api/me', { password: 'not the password' }, [401]);
      return;
    }
    try {
      const response = await this.#send(person, 'account deletion', 'DELETE', '/api/me', person.email ? { password: person.password } : {}, [204]);
      if (response.status === 204) person.state = 'deleted';
    } catch (error) {
      if (error instanceof ServerGone && error.sent) {
        person.state = 'maybe deleted';
        person.uncertain = true;
      }
      throw error;
    }
  }

  /**
   * Looks at what a write without an answer left behind, and checks it is one of the two whole
   * outcomes: the account registered or not, deleted or not, the workbook at the old revision
   * with the old answers or the new one with the new answers, a status changed or not.
   */
  async settle(person: Person): Promise<void> {
    if (person.state === 'maybe created') {
      const login = await person.look('POST', '/api/auth/login', { email: person.email, password: person.password }).catch(() => {
        throw new ServerGone(false);
      });
      this.ledger.check(login.status === 200 || login.status === 401, () => `login after an unanswered registration of person ${person.number}: ${login.status}`);
      if (login.status === 200) {
        person.state = 'live';
        person.userId = login.body.user.id;
      } else {
        person.state = 'never created';
      }
    }
    if (person.state === 'maybe deleted') {
      const me = await this.#read(person, '/api/auth/me');
      this.ledger.check(me.status === 200 || me.status === 401, () => `GET /api/auth/me after an unanswered deletion of person ${person.number}: ${me.status}`);
      person.state = me.status === 200 ? 'live' : 'deleted';
    }
    if (person.state !== 'live') {
      person.uncertain = false;
      return;
    }
    const current = await this.#read(person, '/api/ps101');
    const seen: Workbook = { revision: current.body.revision, answers: current.body.answers };
    const whole = sameWorkbook(seen, person.workbook) || (person.pendingWorkbook !== undefined && sameWorkbook(seen, person.pendingWorkbook));
    this.ledger.check(whole, () => `workbook of person ${person.number} is ${JSON.stringify(seen)}; expected ${JSON.stringify(person.workbook)}${person.pendingWorkbook ? ` or ${JSON.stringify(person.pendingWorkbook)}` : ''}`);
    person.workbook = seen;
    delete person.pendingWorkbook;
    if (person.matchesStale || [...person.matches.values()].some((m) => m.pending !== undefined)) {
      const listed = await this.#read(person, '/api/jobs/matches');
      this.#reconcileMatches(person, listed.body.matches, 'an unanswered write');
    }
    person.uncertain = false;
  }
}

export function sameWorkbook(a: Workbook, b: Workbook): boolean {
  const keys = Object.keys(a.answers);
  return (
    a.revision === b.revision &&
    keys.length === Object.keys(b.answers).length &&
    keys.every((key) => a.answers[key] === b.answers[key])
  );
}
