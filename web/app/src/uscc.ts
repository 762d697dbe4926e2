// The unified social credit code rule (GB 32100-2015), ported once from
// workflow/validation.cc (IsValidUnifiedSocialCreditCode): 18 characters of
// the alphabet below, the last one a check character over the first 17.
// tests/workflow/uscc_vectors.txt holds the vectors both sides are tested
// with (validation_test.cc and tests/web/uscc.spec.ts).
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function isValidUnifiedSocialCreditCode(code: string): boolean {
  if (code.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(code[i]);
    if (value < 0) return false;
    sum += value * WEIGHTS[i];
  }
  const check = ALPHABET.indexOf(code[17]);
  return check >= 0 && check === (31 - (sum % 31)) % 31;
}

// What the form says while the user types: empty (no code is allowed),
// still typing, or the verdict.
export function usccHint(code: string): { ok: boolean; text: string } {
  if (code === "") return { ok: true, text: "可不填（个人或无法确认的经营者）" };
  for (const c of code) {
    if (!ALPHABET.includes(c)) {
      return { ok: false, text: `含无效字符「${c}」：只能是数字和大写字母（不含 I、O、S、V、Z）` };
    }
  }
  if (code.length < 18) return { ok: false, text: `还差 ${18 - code.length} 位（共 18 位）` };
  if (code.length > 18) return { ok: false, text: `多了 ${code.length - 18} 位（共 18 位）` };
  return isValidUnifiedSocialCreditCode(code)
    ? { ok: true, text: "统一社会信用代码校验通过" }
    : { ok: false, text: "校验位不符，请核对代码" };
}
