export function sources(dir: string): { file: string; text: string }[];
