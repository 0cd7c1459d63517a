/**
 * Every page carries a Content-Security-Policy that no other site may frame it under, and a
 * Referrer-Policy that keeps board addresses to ourselves; the whole board works within that
 * policy: walking every view breaks none of its rules.
 */
import { expect, test } from '@playwright/test';
import { demoBoard, openView, type ViewName } from './support';

const VIEWS: readonly ViewName[] = [
	'Backlog',
	'Planning',
	'Team board',
	'Standup',
	'Scrum of Scrums',
	'Incidents',
	'Review',
	'Retro',
	'Dashboard',
	'Members',
	'Settings'
];

test('pages carry a strict Content-Security-Policy and Referrer-Policy', async ({ request }) => {
	const response = await request.get('/');
	expect(response.status()).toBe(200);
	const headers = response.headers();
	const csp = headers['content-security-policy'] ?? '';
	expect(csp).toContain("frame-ancestors 'none'");
	expect(csp).toContain("object-src 'none'");
	expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
	expect(csp).toContain("connect-src 'self'");
	expect(headers['referrer-policy']).toBe('no-referrer');
	expect(headers['x-content-type-options']).toBe('nosniff');
});

test('every view of a board works within the policy', async ({ browser, baseURL }) => {
	const board = await demoBoard(baseURL!);
	const { page, context } = await board.join(browser, 'Ana', { team: 'web' });
	const violations: string[] = [];
	page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
	});
	await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) =>
			(window as unknown as { reportViolation(text: string): void }).reportViolation(
				`${event.violatedDirective}: ${event.blockedURI}`
			)
		);
	});
	await page.reload();
	for (const view of VIEWS) await openView(page, view);
	expect(violations).toEqual([]);
	await context.close();
});
