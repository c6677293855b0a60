// "1 camera", "2 cameras", "1 person", "3 people": counts in page text agree with their nouns.
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}
