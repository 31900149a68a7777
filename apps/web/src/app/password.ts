/** Client-side mirror of the staff password rule (the server checks again, plus common and reused passwords). */
export const STAFF_MIN_LENGTH = 12;

export const passwordClasses = (pw: string): number =>
  [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;

export const meetsStaffRule = (pw: string): boolean => pw.length >= STAFF_MIN_LENGTH && passwordClasses(pw) >= 3;
