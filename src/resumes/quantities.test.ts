import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksOf, reviewResume } from './feedback.js';
import { quantities } from './quantities.js';

// What a person writes, and the quantified results a reviewer would count in it.
const QUANTITY_TABLE: [string, string[]][] = [
  ['Taught Year 9 students maths', []],
  ['Key Stage 2 teacher, Grade 5 piano, Room 101', []],
  ['Teacher 2019–2021; in 2019 I joined', []],
  ['Call +44 20 7946 0958 or (555) 123-4567 or 555-123-4567', []],
  ['From 01/02/2020 to March 2019, then 12 June', []],
  ['Won 1st place in the 3rd round', []],
  ['Q3 2021 results', []],
  ['Grew revenue 30%', ['30%']],
  ['Raised $2M in seed funding', ['$2M']],
  ['Led a team of 12 engineers', ['12 engineers']],
  ['Launched 3 products', ['3 products']],
  ['Trained 40 new staff', ['40 new staff']],
  ['Improved audit scores 2x in 2021', ['2x']],
  ['Managed a $50,000 supplies budget', ['$50,000']],
  ['Cut costs by £1.2 million', ['£1.2 million']],
  ['Sales up 12 percent', ['12 percent']],
  ['Served 5 million users', ['5 million users']],
  ['Saved 10 hours per week', ['10 hours']],
  ['A team of 5 was formed', []],
];

describe('quantified results', () => {
  for (const [text, expected] of QUANTITY_TABLE) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(quantities(text), expected);
    });
  }

  it('stays linear on long runs of digits and separators', () => {
    const started = performance.now();
    quantities(`${'1 2-3.4 '.repeat(6_000)}${'9'.repeat(20_000)}`);
    assert.ok(performance.now() - started < 1_000);
  });
});

// Résumés that pass, fail or sit on the edge of each check.
const FEEDBACK_TABLE = [
  'Summary\nLed a team of 12 engineers, grew revenue 30%, launched 3 products. Built, improved, reduced, managed, trained.',
  'Taught Year 9 students. Led lessons.',
  'word '.repeat(1000),
  `Profile\n${'Managed budgets and led teams. '.repeat(40)}Cut costs by 15% and hired 4 nurses and $3M.`,
  '',
];

describe('feedback checks never contradict themselves', () => {
  for (const text of FEEDBACK_TABLE) {
    for (const job of [null, { id: 1, title: 'Nurse', missingSkills: ['triage'] }, { id: 1, title: 'Nurse', missingSkills: [] }]) {
      it(`${JSON.stringify(text.slice(0, 40))} (job: ${job ? job.missingSkills.length : 'none'})`, () => {
        const feedback = reviewResume(text, job);
        const checks = checksOf(feedback);
        for (const check of checks) {
          // Passed with no advice, or failed with advice: never both.
          assert.equal(check.passed, check.advice === null, JSON.stringify(check));
        }
        assert.deepEqual(
          feedback.suggestions,
          checks.filter((c) => !c.passed).map((c) => c.advice),
        );
        const verbs = checks.find((c) => c.key === 'actionVerbs')!;
        assert.equal(verbs.passed, feedback.actionVerbs.count >= 5);
        assert.equal(feedback.suggestions.some((s) => s.includes('action verbs')), !verbs.passed);
      });
    }
  }

  it('"Year 9" is not a quantified result, and a strong résumé passes every check but length', () => {
    assert.equal(reviewResume('Taught Year 9 students', null).quantifiedResults.count, 0);
    const strong = checksOf(reviewResume(FEEDBACK_TABLE[0]!, null));
    assert.deepEqual(
      strong.map((c) => [c.key, c.passed]),
      [
        ['length', false],
        ['quantifiedResults', true],
        ['actionVerbs', true],
        ['summary', true],
      ],
    );
  });
});
