import { render } from 'preact';
import { App, begin } from './app';
import { ready } from './i18n';
import './styles.css';

// The first screen's reads go out first; the first render follows in a task of its own.
begin(location.pathname, Object.fromEntries(new URLSearchParams(location.search)));
// Someone who chose English gets it from the first paint (its catalogue is a chunk of its own).
ready.then(() => setTimeout(() => render(<App />, document.getElementById('app')!)));
