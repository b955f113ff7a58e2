import fs from 'node:fs';
import path from 'node:path';
import { convertDirectory } from '../../server/imports/directory';
import { findRunbook, findVersion, listVersionSteps } from '../../server/runbooks/repo';
import { makeDocx } from '../helpers/docx';
import { testApp } from '../helpers/app';
import { STOCK_RETURNS } from '../fixtures/imports/word-stock-returns';

/**
 * A dozen procedure documents of the kinds people bring (tests/fixtures/imports), converted
 * as a folder the way `import --convert` does: each one's title, steps, owners and number
 * of checks, as a reader of the original would list them.
 */

const t = testApp();
afterAll(() => t.cleanup());

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'imports');

type Outline = [title: string, owner: string | null, checks: number][];

const EXPECTED: Record<string, [slug: string, title: string, steps: Outline]> = {
  'OFFBOARDING_CHECKLIST.md': [
    'offboarding-checklist',
    'Employee Offboarding Checklist',
    [
      ['Two weeks before the last day (HR)', 'HR', 4],
      ['Two weeks before the last day (Manager)', 'Manager', 3],
      ['Two weeks before the last day (IT)', 'IT', 2],
      ['Last day (HR)', 'HR', 2],
      ['Last day (IT)', 'IT', 5],
      ['Last day (Payroll)', 'Payroll', 2],
      ['After they have left (IT)', 'IT', 2],
      ['After they have left (HR)', 'HR', 2],
    ],
  ],
  'RELEASE_CHECKLIST.md': [
    'release-checklist',
    'Release checklist',
    [
      ['Prepare', null, 4],
      ['Build and test', null, 3],
      ['Publish', null, 3],
      ['Announce', null, 3],
    ],
  ],
  'blog-publishing.md': [
    'blog-publishing',
    'Publishing a blog post',
    [
      ['Content', null, 4],
      ['SEO', null, 3],
      ['After publishing', null, 3],
    ],
  ],
  'dive-shop-morning.md': [
    'dive-shop-morning',
    'Dive shop morning routine',
    [
      ['Unlock and lights', null, 2],
      ['Compressor', null, 4],
      ['Check the boat', null, 3],
      ['Load the boat', null, 3],
    ],
  ],
  'ecommerce-shipping.md': [
    'ecommerce-shipping',
    'Ecommerce shipping',
    [
      ['Pick the orders', null, 3],
      ['Pack', null, 4],
      ['Ship', null, 4],
    ],
  ],
  'employee-onboarding.md': [
    'employee-onboarding',
    'New employee onboarding',
    [
      ['Before day one (Manager)', 'Manager', 2],
      ['Before day one (HR)', 'HR', 2],
      ['Before day one (IT)', 'IT', 2],
      ['Day one (Manager)', 'Manager', 2],
      ['Day one (IT)', 'IT', 1],
      ['Day one (New hire)', 'New hire', 2],
      ['First week (Manager)', 'Manager', 1],
      ['First week (Buddy)', 'Buddy', 1],
      ['First week (New hire)', 'New hire', 1],
      ['First 30 days (Manager)', 'Manager', 1],
      ['First 30 days (HR)', 'HR', 1],
    ],
  ],
  'google-docs-supplier-onboarding.html': [
    'google-docs-supplier-onboarding',
    'New supplier onboarding',
    [
      ['Checks before the first order', 'Purchasing manager', 3],
      ['Set up in the accounts', 'Purchasing manager', 4],
      ['First order', 'Purchasing manager', 2],
    ],
  ],
  'month-end-close.md': [
    'month-end-close',
    'Month-end close procedure',
    [
      ['Reconcile bank accounts', 'Bookkeeper', 3],
      ['Record revenue', null, 3],
      ['Accruals and prepayments', null, 2],
      ['Payroll', null, 2],
      ['Review and lock', 'Owner', 3],
    ],
  ],
  'newsletter-publishing.md': [
    'newsletter-publishing',
    'Newsletter: weekly publishing checklist',
    [
      ['Collect the stories', 'Editor', 3],
      ['Write and edit', 'Editor', 3],
      ['Build the email', 'Editor', 4],
      ['Schedule and share', 'Editor', 3],
    ],
  ],
  'retail-open-close.txt': [
    'retail-open-close',
    'Store opening and closing procedure',
    [
      ['Opening (Keyholder)', 'Keyholder', 2],
      ['Opening (Staff)', 'Staff', 2],
      ['Opening (Keyholder)', 'Keyholder', 1],
      ['Opening (Staff)', 'Staff', 1],
      ['Closing (Staff)', 'Staff', 2],
      ['Closing (Keyholder)', 'Keyholder', 2],
      ['Closing (Staff)', 'Staff', 1],
      ['Closing (Keyholder)', 'Keyholder', 1],
      ['If the alarm goes off', 'Shift supervisor', 0],
    ],
  ],
  'sre-high-cpu-alert.md': [
    'sre-high-cpu-alert',
    'HighCPUUsage alert',
    [
      ['Check what changed', null, 2],
      ['Find the busy pods', null, 2],
      ['Mitigation', null, 3],
      ['Escalation', 'On-call engineer', 0],
    ],
  ],
  'till-end-of-day.md': [
    'till-end-of-day',
    'Leisure centre: end of day till procedure',
    [['Leisure centre: end of day till procedure', null, 38]],
  ],
  'customer-returns.docx': [
    'customer-returns',
    'Customer returns',
    [
      ['Receive the parcel', 'Warehouse lead', 3],
      ['Inspect the item', 'Warehouse lead', 3],
      ['Refund', 'Customer service', 2],
      ['Things to remember', 'Warehouse lead', 0],
    ],
  ],
};

test('a folder of real-world procedures converts to the steps, owners and checks a reader sees', async () => {
  const dir = path.join(t.dir, 'procedures');
  fs.mkdirSync(dir);
  for (const file of fs.readdirSync(FIXTURES).filter((f) => !f.endsWith('.ts')))
    fs.copyFileSync(path.join(FIXTURES, file), path.join(dir, file));
  fs.writeFileSync(path.join(dir, 'customer-returns.docx'), await makeDocx(STOCK_RETURNS));

  const report = await convertDirectory(t.db, dir);
  expect(report.map((f) => [path.basename(f.path), f.outcome, f.slug, f.saved])).toEqual(
    Object.entries(EXPECTED)
      .map(([file, [slug]]) => [file, 'converted', slug, 'created'])
      .sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
  );
  for (const [file, [slug, title, steps]] of Object.entries(EXPECTED)) {
    const row = findRunbook(t.db, slug);
    const version = findVersion(t.db, row?.current_version_id ?? 0);
    const stored = listVersionSteps(t.db, version?.id ?? 0).map((s) => [s.title, s.owner, (JSON.parse(s.checks) as string[]).length]);
    expect({ file, title: version?.title, steps: stored }).toEqual({ file, title, steps });
  }
  // The reference sections went to the introductions, with their lists as text.
  const sre = findVersion(t.db, findRunbook(t.db, 'sre-high-cpu-alert')?.current_version_id ?? 0);
  expect(sre?.intro).toContain('### Dashboards');
  expect(sre?.intro).toContain('- [Postmortem template](https://wiki.example.com/postmortem)');

  // A second run finds every runbook as it left it.
  const again = await convertDirectory(t.db, dir);
  expect(new Set(again.map((f) => f.saved))).toEqual(new Set(['unchanged']));
});
