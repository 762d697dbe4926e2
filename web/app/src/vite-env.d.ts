// Vite's types (CSS imports in main.ts).
/// <reference types="vite/client" />
