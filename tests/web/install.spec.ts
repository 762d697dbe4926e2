// The field app is installable, in Debian's Chromium against the real
// binaries: the page links the web app manifest; the gateway serves it with
// a Chinese name and short name, start_url inside scope, display standalone
// and icons that load as PNGs of their declared sizes (a 192 and a 512 for
// "any"); the service worker at /sw.js is registered for the whole origin
// and controls the page, also after a reload; and Chromium itself reports no
// installability error (DevTools Page.getInstallabilityErrors) but the
// off-the-record profile every Playwright context has.
import { expect, test } from "@playwright/test";
import { logIn, TABLET, url, waitForServiceWorker } from "./field_helpers";

interface Icon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

test.describe("安装到主屏幕（tablet）", () => {
  test.use({ viewport: TABLET });

  test("清单、图标和 service worker 齐全，Chromium 认为可安装", async ({ page }) => {
    await logIn(page, "zhangwei");
    const href = await page.locator('head link[rel="manifest"]').getAttribute("href");
    expect(href).toBeTruthy();
    const manifestUrl = new URL(href as string, page.url()).href;
    const response = await page.request.get(manifestUrl);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/^application\/(manifest\+)?json/);
    const manifest = await response.json();
    const han = /^[\u4e00-\u9fff]+$/;
    expect(manifest.name).toMatch(han);
    expect(manifest.short_name).toMatch(han);
    // Home screens cut short names past about 12 characters.
    expect([...manifest.short_name].length).toBeLessThanOrEqual(12);
    expect(manifest.lang).toBe("zh-CN");
    expect(manifest.display).toBe("standalone");
    const scope = new URL(manifest.scope, manifestUrl).href;
    const start = new URL(manifest.start_url, manifestUrl).href;
    expect(scope).toBe(`${url()}/`);
    expect(start.startsWith(scope)).toBe(true);

    // Each icon loads and decodes at its declared size.
    const icons = manifest.icons as Icon[];
    const anySizes = icons.filter((i) => (i.purpose ?? "any").split(" ").includes("any")).map((i) => i.sizes);
    expect(anySizes).toEqual(expect.arrayContaining(["192x192", "512x512"]));
    for (const icon of icons) {
      const src = new URL(icon.src, manifestUrl).href;
      const got = await page.request.get(src);
      expect(got.status(), src).toBe(200);
      expect(got.headers()["content-type"], src).toBe("image/png");
      const size = await page.evaluate(async (s) => {
        const image = new Image();
        image.src = s;
        await image.decode();
        return `${image.naturalWidth}x${image.naturalHeight}`;
      }, src);
      expect(size, src).toBe(icon.sizes);
    }

    // The service worker: registered for the whole origin, controlling the
    // page, and again after a reload.
    await waitForServiceWorker(page);
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration("/");
      return { scope: registration?.scope, script: navigator.serviceWorker.controller?.scriptURL };
    });
    expect(worker).toEqual({ scope: `${url()}/`, script: `${url()}/sw.js` });
    await page.reload();
    await expect(page.locator("#who-name")).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${url()}/sw.js`);

    // Chromium's own verdict on the page. A Playwright context is an
    // off-the-record profile, which Chromium always reports ("in-incognito":
    // nothing is installed from one); any other error is the app's.
    const cdp = await page.context().newCDPSession(page);
    const verdict = await cdp.send("Page.getInstallabilityErrors");
    const ids = verdict.installabilityErrors.map((e) => e.errorId);
    expect(ids).toContain("in-incognito");
    expect(ids.filter((id) => id !== "in-incognito")).toEqual([]);
  });
});
