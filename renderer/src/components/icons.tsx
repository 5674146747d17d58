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
