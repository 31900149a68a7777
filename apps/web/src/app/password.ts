/** Client-side mirror of the staff password rule (the server checks again, plus common and reused passwords). */
export const STAFF_MIN_LENGTH = 12;

export const passwordClasses = (pw: string): number =>
  [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;

export const meetsStaffRule = (pw: string): boolean => pw.length >= STAFF_MIN_LENGTH && passwordClasses(pw) >= 3;

/** A random 16-character password with all four classes, without look-alikes (0/O, 1/l/I). */
export const generatePassword = (length = 16): string => {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '!@#$%^&*-_=+?'];
  const all = sets.join('');
  const pick = (s: string) => {
    const buf = new Uint32Array(1);
    crypto.getRandomValues(buf);
    return s[(buf[0] ?? 0) % s.length] ?? '';
  };
  const chars = sets.map(pick);
  while (chars.length < length) chars.push(pick(all));
  // Fisher–Yates so the guaranteed classes are not always first
  for (let i = chars.length - 1; i > 0; i--) {
    const buf = new Uint32Array(1);
    crypto.getRandomValues(buf);
    const j = (buf[0] ?? 0) % (i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
};
