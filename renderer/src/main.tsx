import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyTheme, start } from './store.ts';
import { connect } from './transport.ts';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  applyTheme('system');
  void start(connect());
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
