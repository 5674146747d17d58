/** Line icons (24×24 grid, stroke = currentColor), drawn for this app. Decorative: always aria-hidden. */
import type { ReactNode } from 'react';

function Svg({ children, size = 20 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const IconStatus = () => (
  <Svg>
    <path d="M3 12h4l3-7 4 14 3-7h4" />
  </Svg>
);
export const IconConnections = () => (
  <Svg>
    <path d="M9 7V3M15 7V3" />
    <path d="M6 7h12v4a6 6 0 0 1-12 0z" />
    <path d="M12 17v4" />
  </Svg>
);
export const IconMappings = () => (
  <Svg>
    <path d="M4 8h13l-3-3M20 16H7l3 3" />
  </Svg>
);
export const IconConflicts = () => (
  <Svg>
    <rect x="3" y="4" width="8" height="12" rx="1.5" />
    <rect x="13" y="8" width="8" height="12" rx="1.5" />
    <path d="M6 8h2M6 11h2M16 12h2M16 15h2" />
  </Svg>
);
export const IconActivity = () => (
  <Svg>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v5l3 2" />
  </Svg>
);
export const IconLogs = () => (
  <Svg>
    <path d="M7 3h7l5 5v13H7z" />
    <path d="M14 3v5h5M10 13h6M10 17h6" />
  </Svg>
);
export const IconSettings = () => (
  <Svg>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
  </Svg>
);
export const IconDashboard = () => (
  <Svg>
    <rect x="3" y="3" width="7" height="9" rx="1" />
    <rect x="14" y="3" width="7" height="5" rx="1" />
    <rect x="14" y="12" width="7" height="9" rx="1" />
    <rect x="3" y="16" width="7" height="5" rx="1" />
  </Svg>
);
export const IconChanges = () => (
  <Svg>
    <path d="M4 6h10M4 12h16M4 18h7" />
    <path d="M17 4l3 2-3 2M14 16l3 2-3 2" />
  </Svg>
);
export const IconSync = () => (
  <Svg>
    <path d="M20 11a8 8 0 0 0-14.3-4.9L4 8" />
    <path d="M4 3v5h5" />
    <path d="M4 13a8 8 0 0 0 14.3 4.9L20 16" />
    <path d="M20 21v-5h-5" />
  </Svg>
);
export const IconPause = () => (
  <Svg>
    <path d="M9 5v14M15 5v14" />
  </Svg>
);
export const IconPlay = () => (
  <Svg>
    <path d="M7 4l13 8-13 8z" />
  </Svg>
);
export const IconAlert = () => (
  <Svg>
    <path d="M12 3l10 18H2z" />
    <path d="M12 10v4M12 17.5v.5" />
  </Svg>
);
export const IconInfo = () => (
  <Svg>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 11v6M12 7.5v.5" />
  </Svg>
);
export const IconCheck = () => (
  <Svg>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12.5l3 3 5-6" />
  </Svg>
);
export const IconInbox = () => (
  <Svg size={28}>
    <path d="M3 13l3-8h12l3 8v6H3z" />
    <path d="M3 13h5l1 3h6l1-3h5" />
  </Svg>
);
export const IconChevron = () => (
  <Svg size={16}>
    <path d="M9 6l6 6-6 6" />
  </Svg>
);

/** The GHL Bridge mark: two linked arcs. */
export const Logo = () => (
  <svg className="logo" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="8" fill="var(--accent)" />
    <path d="M9 18a7 7 0 0 1 12.5-6.3" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" />
    <path d="M23 14a7 7 0 0 1-12.5 6.3" fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" />
    <circle cx="21.5" cy="11.7" r="1.9" fill="#fff" />
    <circle cx="10.5" cy="20.3" r="1.9" fill="#fff" />
  </svg>
);

export const IconEye = () => (
  <Svg size={16}>
    <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
    <circle cx="12" cy="12" r="3" />
  </Svg>
);
export const IconEyeOff = () => (
  <Svg size={16}>
    <path d="M3 3l18 18" />
    <path d="M10.6 5.1A10.8 10.8 0 0 1 12 5c6.4 0 10 7 10 7a17.6 17.6 0 0 1-3.2 4.1M6.6 6.6C3.8 8.4 2 12 2 12s3.6 7 10 7a10 10 0 0 0 5.4-1.6" />
    <path d="M9.9 9.9a3 3 0 0 0 4.2 4.2" />
  </Svg>
);
export const IconSearch = () => (
  <Svg size={16}>
    <circle cx="11" cy="11" r="7" />
    <path d="M20 20l-3.5-3.5" />
  </Svg>
);
export const IconDownload = () => (
  <Svg>
    <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
  </Svg>
);
export const IconCopy = () => (
  <Svg>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2" />
  </Svg>
);
export const IconUndo = () => (
  <Svg>
    <path d="M9 14L4 9l5-5" />
    <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />
  </Svg>
);
export const IconLink = () => (
  <Svg>
    <path d="M10 14a5 5 0 0 0 7.1 0l3-3a5 5 0 0 0-7.1-7.1l-1 1" />
    <path d="M14 10a5 5 0 0 0-7.1 0l-3 3a5 5 0 0 0 7.1 7.1l1-1" />
  </Svg>
);
export const IconExternal = () => (
  <Svg size={16}>
    <path d="M14 4h6v6M20 4l-9 9" />
    <path d="M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />
  </Svg>
);
export const IconPreview = () => (
  <Svg>
    <path d="M4 5h16M4 10h16M4 15h10M4 20h7" />
    <circle cx="18" cy="18" r="3" />
    <path d="M20.2 20.2L22 22" />
  </Svg>
);
export const IconKeyboard = () => (
  <Svg size={16}>
    <rect x="2" y="6" width="20" height="12" rx="2" />
    <path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" />
  </Svg>
);
