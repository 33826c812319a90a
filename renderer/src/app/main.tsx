import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyTheme } from '../common/theme.ts';
import { connect } from '../common/transport.ts';
import { useApp } from '../store/index.ts';
import { App } from './App.tsx';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  applyTheme('system');
  void useApp.getState().start(connect());
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
