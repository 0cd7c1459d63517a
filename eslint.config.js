import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'test-results/',
			'playwright-report/'
		]
	},
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs['flat/recommended'],
	prettier,
	svelte.configs['flat/prettier'],
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node }
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				// <script lang="ts"> blocks and rune modules are TypeScript.
				parser: ts.parser,
				extraFileExtensions: ['.svelte'],
				svelteConfig
			}
		}
	},
	{
		rules: {
			// TypeScript already reports undefined names, with types; this rule only misfires on
			// type-only globals such as NodeJS.ErrnoException.
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }
			]
		}
	},
	{
		// The domain layer is pure TypeScript: it runs the same in the browser, the server and tests.
		files: ['src/lib/domain/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'yjs',
								'y-*',
								'lib0',
								'lib0/*',
								'ws',
								'svelte',
								'svelte/*',
								'$app/*',
								'@sveltejs/*'
							],
							message: 'src/lib/domain is pure: no Yjs, Svelte, ws or SvelteKit imports.'
						},
						{
							group: ['**/sync/**', '**/state/**', '**/components/**', '**/server/**'],
							message: 'src/lib/domain must not depend on the layers built on top of it.'
						}
					]
				}
			]
		}
	},
	{
		// A board's links (its views, with the team, sprint or story selected) are built in one
		// place, src/lib/client/board-links.ts; the rule cannot see through that function, so it
		// checks the remaining links and navigations of the board views only where they are not
		// board links.
		files: ['src/lib/components/**/*.svelte', 'src/lib/state/url-selection.svelte.ts'],
		rules: {
			'svelte/no-navigation-without-resolve': ['error', { ignoreLinks: true, ignoreGoto: true }]
		}
	},
	{
		// The contract between server and page: zod and the domain's schemas, nothing of either side.
		files: ['src/lib/contract/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['yjs', 'y-*', 'lib0', 'lib0/*', 'ws', 'svelte', 'svelte/*', '$app/*'],
							message: 'src/lib/contract is pure: zod and the domain only.'
						},
						{
							group: [
								'**/sync/**',
								'**/state/**',
								'**/components/**',
								'**/client/**',
								'**/server/**'
							],
							message: 'src/lib/contract is shared by server and page: it imports neither.'
						}
					]
				}
			]
		}
	}
);
