/**
 * The route table: every page of the app, its sidebar entry and shortcut.
 * Routes are prefix routes, so a page owns its sub-paths
 * ("#/chat/42" renders Chat with params.rest = "42") without editing this file.
 */
import type { Component } from 'svelte';
import type { IconName } from './components/Icon.svelte';
import type { RoutePattern } from './lib/router';
import Chat from './pages/Chat.svelte';
import Usage from './pages/Usage.svelte';
import Statements from './pages/Statements.svelte';
import SettingsGeneral from './pages/SettingsGeneral.svelte';
import Credits from './pages/Credits.svelte';
import Rates from './pages/Rates.svelte';
import Providers from './pages/Providers.svelte';
import Team from './pages/Team.svelte';
import Gateway from './pages/Gateway.svelte';

/** Props every page component receives from the router. */
export interface PageProps {
  /** Captured parameters; `rest` is the sub-path after the route's own path ("" when none). */
  params: Record<string, string>;
  /** Query string of the hash ("#/usage?from=2025-01-01"). */
  query: Record<string, string>;
}

/** One page of the app. */
export interface AppRoute extends RoutePattern {
  /** Stable id, used in data-testid="nav-<id>" and "page-<id>". */
  id: string;
  title: string;
  /** Sidebar group. */
  section: 'workspace' | 'settings';
  icon: IconName;
  component: Component<PageProps>;
  /** Shown to admins only (the backend refuses members anyway). */
  adminOnly?: boolean;
}

/** All pages, in sidebar order. */
export const routes: readonly AppRoute[] = [
  { id: 'chat', path: '/chat', prefix: true, title: 'Chat', section: 'workspace', icon: 'chat', component: Chat },
  { id: 'usage', path: '/usage', prefix: true, title: 'Usage', section: 'workspace', icon: 'usage', component: Usage },
  { id: 'statements', path: '/statements', prefix: true, title: 'Statements', section: 'workspace', icon: 'statements', component: Statements },
  { id: 'settings-general', path: '/settings/general', prefix: true, title: 'General', section: 'settings', icon: 'general', component: SettingsGeneral },
  { id: 'settings-credits', path: '/settings/credits', prefix: true, title: 'Credits', section: 'settings', icon: 'credits', component: Credits },
  { id: 'settings-rates', path: '/settings/rates', prefix: true, title: 'Rates', section: 'settings', icon: 'rates', component: Rates, adminOnly: true },
  { id: 'settings-providers', path: '/settings/providers', prefix: true, title: 'Providers', section: 'settings', icon: 'providers', component: Providers, adminOnly: true },
  { id: 'settings-api', path: '/settings/api', prefix: true, title: 'API', section: 'settings', icon: 'key', component: Gateway },
  { id: 'settings-team', path: '/settings/team', prefix: true, title: 'Team', section: 'settings', icon: 'team', component: Team },
];

/** Paths that redirect elsewhere. */
export const redirects: Record<string, string> = { '/settings': '/settings/general' };

/** Where "#/" and the app start go. */
export const DEFAULT_PATH = '/chat';

/** Ctrl/Cmd+N targets, in order (N = 1..4). */
export const SHORTCUTS: readonly string[] = ['/chat', '/usage', '/statements', '/settings/general'];
