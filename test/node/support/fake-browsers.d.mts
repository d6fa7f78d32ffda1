export declare function folder(entries?: Record<string, "file" | "plain" | "folder">): string;
export declare function removeFolders(): void;
export declare function join(...parts: string[]): string;
