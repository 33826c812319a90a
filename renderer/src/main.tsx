import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { start } from './store.ts';
import { connect } from './transport.ts';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  document.documentElement.dataset.theme = 'system';
  void start(connect());
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
