// The person's files for the screens outside Files that pick one (Résumés): the query itself is
// declared once, in files/data.ts.
export { fileKeys, useFiles } from '../files/data';
