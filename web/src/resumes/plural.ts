/** "1 résumé", "3 résumés": the count with the right form of the word. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
