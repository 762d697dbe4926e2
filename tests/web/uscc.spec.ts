// The web app's unified social credit code check (web/app/src/uscc.ts)
// against the vectors the server's rule is tested with
// (tests/workflow/uscc_vectors.txt, read by validation_test.cc too).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { isValidUnifiedSocialCreditCode, usccHint } from "../../web/app/src/uscc";

const vectors = readFileSync(join(__dirname, "..", "workflow", "uscc_vectors.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"))
  .map((line) => {
    const [verdict, code] = line.trim().split(/\s+/);
    return { valid: verdict === "valid", code: code === "-" ? "" : code };
  });

test("统一社会信用代码：网页与服务器按同一组向量判定", () => {
  expect(vectors.length).toBe(15);
  for (const { valid, code } of vectors) {
    expect(isValidUnifiedSocialCreditCode(code), code).toBe(valid);
  }
});

test("统一社会信用代码：输入过程中的提示", () => {
  expect(usccHint("").ok).toBe(true); // no code is allowed
  expect(usccHint("91350100M000100Y4")).toEqual({ ok: false, text: "还差 1 位（共 18 位）" });
  expect(usccHint("91350100M000100Y44")).toEqual({ ok: false, text: "校验位不符，请核对代码" });
  expect(usccHint("91350100M000100Y43")).toEqual({ ok: true, text: "统一社会信用代码校验通过" });
  expect(usccHint("9135010OM")).toEqual({ ok: false, text: "含无效字符「O」：只能是数字和大写字母（不含 I、O、S、V、Z）" });
});
