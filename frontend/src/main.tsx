import { render } from 'preact';
import { App } from './app';
import { ready } from './i18n';
import './styles.css';

// Someone who chose English gets it from the first paint (its catalogue is a chunk of its own).
ready.then(() => render(<App />, document.getElementById('app')!));
