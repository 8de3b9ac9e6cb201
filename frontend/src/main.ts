// Entry point: global styles, then the app shell.
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { setBalanceLoader } from './lib/balance.svelte';
import { myBalance } from './api/credits';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app element');

void setBalanceLoader(myBalance);

export default mount(App, { target });
