/**
 * The simulation's customers (SPEC §4): `First.Last@test.com`, phone 8015551212, birth years from
 * 1965 down to 1937 — the 30th customer starts the range again — born on a day the seed picks.
 */
import type { Customer } from "../../domain/customer.js";
import type { Random } from "./random.js";

const FIRST_NAMES = [
  "Sarah", "Jason", "Santosh", "Ashley", "Spencer", "Lyn", "Neeraj", "Chris", "Suresh", "Senthil",
  "Gail", "Ben", "Angie", "Jerry", "Danny", "Liz", "Craig", "Trevor", "Eric", "Bobby",
  "Dan", "Edward", "Frank", "Manoj", "John", "Larry", "Travis", "Sean", "Jacob", "Christina",
] as const;
const LAST_NAMES = [
  "Clark", "Mitra", "Fibonnaci", "Jones", "Davis", "Phillips", "Aristotle", "Anandh", "Lincoln", "Hansen",
  "Smith", "Khatib", "Wu", "Harris", "Habschied", "Gonzalez", "Olson", "Ahmed", "Staples", "Mendoza",
  "Jackson", "Abbott", "Spring", "Lewis", "Wang", "Ramos", "Howard", "Young", "Rodriguez", "Erickson",
] as const;

export const FIRST_BIRTH_YEAR = 1965;
export const LAST_BIRTH_YEAR = 1937;

export function simulatedBirthYear(index: number): number {
  return FIRST_BIRTH_YEAR - (index % (FIRST_BIRTH_YEAR - LAST_BIRTH_YEAR + 1));
}

/** The cohort whose tests get slower every round (SPEC §4). */
export function isDecliningCohort(birthYear: number): boolean {
  return birthYear >= 1950 && birthYear <= 1960;
}

export function simulatedCustomers(count: number, random: Random, emailDomain = "test.com"): Customer[] {
  return Array.from({ length: Math.min(count, FIRST_NAMES.length) }, (_, index) => {
    const first = FIRST_NAMES[index] as string;
    const last = LAST_NAMES[(index * 7) % LAST_NAMES.length] as string;
    const month = String(random.int(1, 12)).padStart(2, "0");
    const day = String(random.int(1, 28)).padStart(2, "0");
    return { customerName: `${first} ${last}`, email: `${first}.${last}@${emailDomain}`, phone: "8015551212", birthDay: `${simulatedBirthYear(index)}-${month}-${day}` };
  });
}
