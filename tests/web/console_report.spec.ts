// The monthly dispatch report and the notices in the console, Debian's
// Chromium against the real binaries: the report of a region of this
// test's own is the page rectifyctl writes (served by rectify_web at
// /reports/monthly from GetMonthlyReport, charts and all) shown in the
// console; its figures equal the counts of the cases the test made; it
// prints to an A4 PDF (page.pdf() with the page's own print stylesheet)
// whose first page, turned into a PNG by poppler's pdftoppm, is an A4 page
// with the report's title and figures on it (pdftotext reads them back);
// a month that has not begun is refused with the server's reason; the
// overdue case is on the notice list under its unit.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { assign, call, logIn, freshRegion, reportCase, url } from "./console_api";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";

// The PGM (P5) that `pdftoppm -gray` writes: width, height and one byte per pixel.
function readPgm(file: string): { width: number; height: number; pixels: Buffer } {
  const data = readFileSync(file);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString("latin1"));
  if (!header) throw new Error("not a PGM file");
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: data.subarray(header[0].length, header[0].length + width * height) };
}

test("月调度：控制台内显示服务器生成的报告页，数字与测试统计一致，打印为 A4 PDF 并转为图片检查", async ({ browser }) => {
  const region = freshRegion();
  await reportCase(region, "工业园区异味");
  await reportCase(region, "河道采砂");
  const late = await reportCase(region, "污水处理厂超标排放");
  await assign(late, "minle-hongshui-town", new Date(Date.now() + 3000));
  await expect
    .poll(async () => (await call("demo-supervisor", "CaseService/GetCase", { caseId: late })).case.overdue ?? false)
    .toBe(true);
  // By hand: 3 reported this month, 1 assigned, 0 verified, 0 closed, 0
  // unfounded; at the end 0 rectifying, 1 overdue, 0 closed, 3 open; the
  // rate 0 / (0 + 3).
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await logIn(page, "wangqiang");
  const beijing = new Date(Date.now() + 8 * 3600_000).toISOString();
  const month = beijing.slice(0, 7);
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  await page.goto(`${url()}/console/report?month=${month}&region=${region}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${y}年${m}月 生态环境问题整改月调度`);
  const report = page.frameLocator("#report-frame");
  await expect(report.locator("h1")).toHaveText(`${y}年${m}月环境问题整改月调度报告`);
  await expect(report.locator("p.summary")).toHaveText(
    "本月新发现问题 3 个，交办 1 个，验收通过 0 个，销号 0 个，查无实据 0 个。截至月末，累计销号 0 个，未销号 3 个，其中整改中 0 个、逾期 1 个；销号率 0.0%。",
  );
  await expect(report.locator("section.by-category")).toContainText("水");
  await expect(report.locator("section.by-unit")).toContainText("洪水镇人民政府");
  await expect(report.locator("section.by-unit svg.chart").first()).toBeVisible();
  await expect(report.locator("section.notices")).toContainText(late);
  await expect(page.locator("#report-status")).toHaveText("");
  await page.screenshot({ path: `${shots}/console-report.png`, fullPage: true });

  // The print: the page itself (the frame's document), on A4.
  const printable = await context.newPage();
  await printable.goto(`${url()}/reports/monthly?month=${month}&region=${region}`);
  await expect(printable.locator("h1")).toHaveText(`${y}年${m}月环境问题整改月调度报告`);
  await printable.emulateMedia({ media: "print" });
  const pdf = await printable.pdf({ preferCSSPageSize: true, printBackground: true });
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const dir = mkdtempSync(join(tmpdir(), "console-report-"));
  writeFileSync(join(dir, "report.pdf"), pdf);
  writeFileSync(`${shots}/console-report.pdf`, pdf);
  // The first page as a PNG (kept with the screenshots) and as grey pixels.
  execFileSync("pdftoppm", ["-f", "1", "-l", "1", "-r", "60", "-png", "-singlefile", join(dir, "report.pdf"), `${shots}/console-report-print`]);
  execFileSync("pdftoppm", ["-f", "1", "-l", "1", "-r", "60", "-gray", "-singlefile", join(dir, "report.pdf"), join(dir, "page1")]);
  const png = readFileSync(`${shots}/console-report-print.png`);
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  const page1 = readPgm(join(dir, "page1.pgm"));
  // A4 is 210 x 297 mm: at 60 dpi 496 x 702 pixels (pdftoppm rounds up).
  expect(Math.abs(page1.width - 496)).toBeLessThanOrEqual(1);
  expect(Math.abs(page1.height - 702)).toBeLessThanOrEqual(1);
  // Ink on the page: the title and the cards in the top third, and white
  // margins (16 mm top, 14 mm sides) around it.
  const dark = (x0: number, y0: number, x1: number, y1: number) => {
    let n = 0;
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) if (page1.pixels[yy * page1.width + xx] < 128) n++;
    return n;
  };
  expect(dark(0, 0, page1.width, 30)).toBe(0); // the top margin (16 mm = 37.8 px)
  expect(dark(0, 0, 25, page1.height)).toBe(0); // the left margin (14 mm = 33 px)
  expect(dark(33, 38, page1.width - 33, 234)).toBeGreaterThan(2000);
  // The text of the first page: the title and the summary with this region's figures.
  const text = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-layout", join(dir, "report.pdf"), "-"]).toString("utf8");
  expect(text.replace(/\s+/g, "")).toContain(`${y}年${m}月环境问题整改月调度报告`);
  expect(text.replace(/\s+/g, "")).toContain("本月新发现问题3个，交办1个");
  expect(text).toContain(region);
  // The A4 page size itself, from the PDF: 595.28 x 841.89 pt.
  const info = execFileSync("pdfinfo", [join(dir, "report.pdf")]).toString("utf8");
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  expect(Math.abs(Number(size?.[1]) - 595.28)).toBeLessThan(1.5);
  expect(Math.abs(Number(size?.[2]) - 841.89)).toBeLessThan(1.5);
  await printable.close();

  // A month that has not begun: the server's refusal in the console's words.
  await page.goto(`${url()}/console/report?month=${y + 1}-${String(m).padStart(2, "0")}&region=${region}`);
  await expect(page.locator("#report-status")).toHaveText(`操作未执行：月份：${y + 1}年${m}月尚未开始，不能生成月调度报告`);
  await expect(page.locator("#report-frame")).toBeHidden();

  await page.goto(`${url()}/console/notices?region=${region}`);
  const unit = page.locator('section[data-unit="minle-hongshui-town"]');
  await expect(unit).toContainText(late);
  await expect(unit).toContainText("逾期未完成");
  await expect(page.locator(".lead")).toContainText("共 1 个问题被通报，涉及 1 个责任单位");
  await context.close();
});
