// The person's job matches for the screens outside Jobs that pick one (Résumés, to write for a
// role): the query itself is declared once, in matches/data.ts.
export { useMatches } from '../matches/data';
