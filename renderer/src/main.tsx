import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickBridge } from './bridge/index.js';
import { BridgeProvider } from './components/bridge-context.js';
import { AppStatusProvider } from './app-status.js';
import { App } from './App.js';
import './styles.css';

const { bridge, transport } = pickBridge();
document.documentElement.dataset.transport = transport;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <BridgeProvider bridge={bridge}>
      <AppStatusProvider>
        <App />
      </AppStatusProvider>
    </BridgeProvider>
  </StrictMode>,
);
