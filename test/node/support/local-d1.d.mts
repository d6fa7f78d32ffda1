export function migratedState(config?: string): { dir: string; remove(): void };
