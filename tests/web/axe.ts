// axe-core (npm) in a page of the real app: the serious and critical
// violations of WCAG 2 A/AA, each as one line naming the page and the
// elements. axe is injected by Playwright (a context with bypassCSP lets
// the test's own script tag in; the app is served with its usual policy).
import type { Page } from "@playwright/test";

interface Violation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

export async function seriousViolations(page: Page, what: string): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const violations = (await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations;
  })) as Violation[];
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${what}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
